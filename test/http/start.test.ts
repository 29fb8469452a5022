import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE_NAME } from '#local/data-dir-lock.ts';
import { StartExitCode } from '#local/start-failure.ts';
import { type RunningStart, runFailingStart, runStart, stopStart } from '../support/local-start.ts';

/** `npm start` as a developer runs it (on a free port and a fresh DATA_DIR), read from its output. */
const CURL_LINE = /^curl -i -X POST (\S+) -H 'Authorization: Bearer ([^']+)' -H 'Content-Type: application\/json' -d '([^']+)'$/;

let dataDir: string;
let server: RunningStart;
let lines: string[];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'npm-start-'));
  server = runStart({ PORT: '0', DATA_DIR: dataDir });
  lines = server.stdout;
  await server.line(/^curl /);
});

afterAll(async () => {
  if (server) await stopStart(server.child);
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('prints Listening on the real address once, then how to get a token, then one curl line', () => {
    expect(lines.filter((line) => line.startsWith('Listening on '))).toEqual([expect.stringMatching(/^Listening on http:\/\/127\.0\.0\.1:\d+$/)]);
    expect(lines[0]).toMatch(/^Listening on /);
    expect(lines.some((line) => line.includes('npm run token -- --sub student-1 --scopes read,write'))).toBe(true);
    expect(lines.filter((line) => line.startsWith('curl '))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(CURL_LINE);
  });

  it('prints a curl line that works: its token is accepted and its batch stored', async () => {
    const [, url, token, body] = CURL_LINE.exec(lines.at(-1)!)!;
    const listening = lines[0]!.slice('Listening on '.length);
    expect(url!.startsWith(`${listening}/api/v1/courses/`)).toBe(true);

    const posted = await fetch(url!, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    const read = await fetch(url!, { headers: { authorization: `Bearer ${token}` } });

    expect(posted.status).toBe(204);
    expect(read.status).toBe(200);
    expect((await read.json()).quiz_submission_events).toHaveLength(1);
  });

  it("keeps the store's files and the signing key readable by their owner only", async () => {
    const files = (await readdir(dataDir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThan(2);
    for (const file of files) {
      const { mode } = await stat(join(file.parentPath, file.name));
      expect((mode & 0o077).toString(8), file.name).toBe('0');
    }
  });

  it('refuses a request without a token, as the gateway would, and tells its terminal why', async () => {
    const [, url] = CURL_LINE.exec(lines.at(-1)!)!;
    const answer = await fetch(url!);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    expect(await answer.json()).toEqual({ message: 'Unauthorized' });
    expect(server.stderr).toContainEqual(
      `Refused 401 GET ${new URL(url!).pathname}: no token: send "Authorization: Bearer <token>", with a token from DATA_DIR=${dataDir} npm run token -- --sub student-1 --scopes read --course-ids 1`,
    );
  });

  it('names itself in DATA_DIR while it runs: its process id and address', async () => {
    const holder = JSON.parse(await readFile(join(dataDir, LOCK_FILE_NAME), 'utf8'));
    expect(holder).toEqual({ pid: server.child.pid, url: lines[0]!.slice('Listening on '.length) });
  });
});

describe('a second npm start', () => {
  it('on the same DATA_DIR stops at once with one line naming the folder and the first server', async () => {
    // Act
    const second = await runFailingStart({ PORT: '0', DATA_DIR: dataDir });

    // Assert
    const url = lines[0]!.slice('Listening on '.length);
    const pid = server.child.pid;
    expect(second.exitCode).toBe(StartExitCode.inUse);
    expect(second.stderr).toBe(`Cannot start: DATA_DIR ${dataDir} is in use by another local server (PID ${pid}, ${url}): stop it (kill ${pid}), or set DATA_DIR to another folder\n`);
    expect(second.stdout).toBe('');
    // The first one is untouched.
    expect((await fetch(`${url}/api/v1/courses/1/quizzes/1/submissions/1/events`)).status).toBe(401);
  });

  it('on the same port stops with one line naming PORT', async () => {
    // Arrange
    const port = new URL(lines[0]!.slice('Listening on '.length)).port;
    const otherDataDir = await mkdtemp(join(tmpdir(), 'npm-start-other-'));

    // Act
    const second = await runFailingStart({ PORT: port, DATA_DIR: otherDataDir });
    await rm(otherDataDir, { recursive: true, force: true });

    // Assert
    expect(second.exitCode).toBe(StartExitCode.inUse);
    expect(second.stderr).toBe(`Cannot start: port ${port} on 127.0.0.1 is in use by another program: stop it, or set PORT to another port (PORT=0 picks a free one)\n`);
  });
});
