import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `npm start` as a developer runs it (through tsx, on a free port and a fresh DATA_DIR), read from its stdout. */
const REPO_ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(REPO_ROOT, 'node_modules/.bin/tsx');
const CURL_LINE = /^curl -i -X POST (\S+) -H 'Authorization: Bearer ([^']+)' -H 'Content-Type: application\/json' -d '([^']+)'$/;

let dataDir: string;
let child: ChildProcessWithoutNullStreams;
const lines: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'npm-start-'));
  const { POWERTOOLS_LOG_LEVEL, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED } = process.env;
  child = spawn(TSX, ['local/start.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, POWERTOOLS_LOG_LEVEL, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, PORT: '0', DATA_DIR: dataDir },
  });
  child.stderr.resume();
  const stdout = createInterface({ input: child.stdout });
  await new Promise<void>((ready, failed) => {
    child.once('exit', (code) => failed(new Error(`npm start exited with ${code}`)));
    stdout.on('line', (line) => {
      lines.push(line);
      if (line.startsWith('curl ')) ready();
    });
  });
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  }
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

  it('refuses a request without a token, as the gateway would', async () => {
    const [, url] = CURL_LINE.exec(lines.at(-1)!)!;
    const answer = await fetch(url!);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('prints where it answers the OpenAPI document, and answers it there without a token', async () => {
    const listening = lines[0]!.slice('Listening on '.length);
    expect(lines).toContain(`OpenAPI document (no token needed): ${listening}/openapi.json`);
    const answer = await fetch(`${listening}/openapi.json`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ openapi: expect.stringMatching(/^3\.1\./), servers: [{ url: listening }] });
  });
});
