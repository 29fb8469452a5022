import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, scopesOfAccess } from '#lib/auth/scopes.ts';
import { LOCK_FILE_NAME } from '#local/data-dir-lock.ts';
import { StartExitCode } from '#local/start-failure.ts';
import { buildSite } from '../../web/build.ts';
import { SITE_DIST_DIR } from '../../web/serve.ts';
import { LOCAL_SITE_CONFIG } from '../../web/src/site-config.ts';
import { CHROMIUM_MISSING, chromiumInstalled, launchChromium } from '../support/chromium.ts';
import { REPO_ROOT, type RunningStart, runFailingStart, runStart, startEnvironment, stopStart } from '../support/local-start.ts';

/** `npm start` as a developer runs it (on a free port and a fresh DATA_DIR), read from its output. */
const CURL_LINE = /^curl -i -X POST (\S+) -H 'Authorization: Bearer ([^']+)' -H 'Content-Type: application\/json' -d '([^']+)'$/;
const QUIZ_LOG_LINE = /^Quiz log \(course 1, quiz 1, signed in as a reader for 1h\): (http:\/\/127\.0\.0\.1:\d+\/\?course=1&quiz=1)#access_token=([A-Za-z0-9_.-]+)$/;

let dataDir: string;
let server: RunningStart;
let lines: string[];

beforeAll(async () => {
  // What `npm start` builds first (its prestart script), so that it serves the page and prints its link.
  buildSite(SITE_DIST_DIR, { config: LOCAL_SITE_CONFIG });
  dataDir = await mkdtemp(join(tmpdir(), 'npm-start-'));
  server = runStart({ PORT: '0', DATA_DIR: dataDir });
  lines = server.stdout;
  await server.line(/^curl /);
});

/** `npm run demo` against the server, as a developer runs it in another terminal. */
async function runDemo(args: string[], settings: Record<string, string> = { DATA_DIR: dataDir }): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['scripts/demo.ts', ...args], {
      cwd: REPO_ROOT,
      env: startEnvironment(settings),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

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

  it("leaves npm run demo its class: after the printed curl, the demo's students own their submissions", async () => {
    // Arrange: the printed curl line has run (the test above); its subject owns submission 100 of quiz 1.
    const listening = lines[0]!.slice('Listening on '.length);

    // Act
    const demo = await runDemo(['--api', listening, '--students', '3']);

    // Assert
    expect(demo).toMatchObject({ code: 0, stderr: '' });
    expect(demo.stdout).toMatch(/^Posted \d+ events for 3 students to course 1, quiz 1 at /);
  });

  it('posts a quiz\'s class once: a rerun, or a quiz whose submission 1 has events of another subject, posts nothing and says so', async () => {
    // Arrange: the class of quiz 1 was posted (the test above); the printed curl's subject writes submission 1 of quiz 3.
    const listening = lines[0]!.slice('Listening on '.length);
    const [, url, token, body] = CURL_LINE.exec(lines.at(-1)!)!;
    const taken = url!.replace('/quizzes/1/submissions/100/', '/quizzes/3/submissions/1/');
    expect((await fetch(taken, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body })).status).toBe(204);
    const eventsOfQuiz1 = async () => (await (await fetch(`${listening}/api/v1/courses/1/quizzes/1/submission_events/summary`, { headers: { authorization: `Bearer ${token}` } })).json()).quiz_submission_event_summaries.map((summary: { event_count: number }) => summary.event_count);
    const before = await eventsOfQuiz1();

    // Act
    const rerun = await runDemo(['--api', listening, '--students', '3']);
    const taken3 = await runDemo(['--api', listening, '--quiz', '3', '--students', '1']);

    // Assert
    for (const [demo, quiz] of [[rerun, 1], [taken3, 3]] as const) {
      expect(demo).toMatchObject({ code: 0, stderr: '' });
      expect(demo.stdout).toBe(`Submission 1 of course 1, quiz ${quiz} at ${listening} already has events: nothing posted. Open the quiz log, or run the demo on another quiz: npm run demo -- --quiz 2\n`);
    }
    expect(await eventsOfQuiz1()).toEqual(before);
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

  it('prints where it answers the OpenAPI document, and answers it there without a token', async () => {
    const listening = lines[0]!.slice('Listening on '.length);
    expect(lines).toContain(`OpenAPI document (no token needed): ${listening}/openapi.json`);
    const answer = await fetch(`${listening}/openapi.json`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ openapi: expect.stringMatching(/^3\.1\./), servers: [{ url: listening }] });
  });
});

describe('npm start, with the quiz log page built', () => {
  const quizLogLink = () => {
    const line = lines.find((candidate) => candidate.startsWith('Quiz log'));
    const [, address, token] = QUIZ_LOG_LINE.exec(line ?? '') ?? [];
    expect(address, line).toBeDefined();
    return { link: `${address}#access_token=${token}`, address: address!, token: token! };
  };

  it('prints a link to the quiz log whose page the server answers at /', async () => {
    const { address } = quizLogLink();
    const listening = lines[0]!.slice('Listening on '.length);

    const page = await fetch(address);

    expect(address.startsWith(`${listening}/?`)).toBe(true);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toBe(readFileSync(join(SITE_DIST_DIR, 'index.html'), 'utf8'));
  });

  it("signs the link in as a reader of course 1 for an hour: the server lets its token read, and refuses it a write", async () => {
    const { token } = quizLogLink();
    const claims = decodeJwt(token);
    const quiz = `${lines[0]!.slice('Listening on '.length)}/api/v1/courses/1/quizzes/1`;
    const batch = JSON.stringify({ quiz_submission_events: [{ client_timestamp: new Date().toISOString(), event_type: 'page_focused', event_data: null }] });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const read = await fetch(`${quiz}/submission_events/summary`, { headers });
    const write = await fetch(`${quiz}/submissions/reader-link/events`, { method: 'POST', headers, body: batch });
    const otherCourse = await fetch(`${lines[0]!.slice('Listening on '.length)}/api/v1/courses/2/quizzes/1/submission_events/summary`, { headers });

    expect(claims).toMatchObject({ iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, course_ids: ['1'] });
    expect(String(claims.scope).split(' ').sort()).toEqual(scopesOfAccess('read').sort());
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(read.status).toBe(200);
    expect(write.status).toBe(403);
    expect(otherCourse.status).toBe(403);
  });

  if (!chromiumInstalled) console.log(CHROMIUM_MISSING);
  // CI installs Chromium and sets REQUIRE_BROWSER_TESTS, so there this never passes by being skipped.
  it.skipIf(!chromiumInstalled && process.env.REQUIRE_BROWSER_TESTS !== '1')('opens, in Chromium, on the class view of course 1, quiz 1, without console errors', async () => {
    // Arrange: one event in the quiz, sent as the printed curl line sends it
    const [, url, token, body] = CURL_LINE.exec(lines.at(-1)!)!;
    const posted = await fetch(url!, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    expect(posted.status).toBe(204);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(10_000);
      const errors: string[] = [];
      page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
      page.on('pageerror', (error) => void errors.push(error.message));

      // Act
      await page.goto(quizLogLink().link);
      await page.locator('table.class-table tbody tr').first().waitFor();

      // Assert
      expect(await page.locator('h1').textContent()).toBe('Quiz 1 · course 1');
      expect(await page.locator('table.class-table tbody tr th').allTextContents()).toContain('1');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('npm start and npm run demo, with SUBMISSION_CLAIM set', () => {
  it('mint tokens naming their submissions: the printed curl line and the demo are stored', async () => {
    // Arrange
    const settings = { PORT: '0', DATA_DIR: await mkdtemp(join(tmpdir(), 'npm-start-submission-claim-')), SUBMISSION_CLAIM: 'submission_ids' };
    const claimed = runStart(settings);
    try {
      const [, url, token, body] = CURL_LINE.exec(await claimed.line(/^curl /))!;
      const listening = claimed.stdout[0]!.slice('Listening on '.length);

      // Act
      const posted = await fetch(url!, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
      const demo = await runDemo(['--api', listening, '--students', '2'], settings);

      // Assert
      expect(decodeJwt(token!)).toMatchObject({ submission_ids: [url!.split('/').at(-2)] });
      expect(posted.status).toBe(204);
      expect(demo).toMatchObject({ code: 0, stderr: '' });
    } finally {
      await stopStart(claimed.child);
      await rm(settings.DATA_DIR, { recursive: true, force: true });
    }
  });
});
