import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_COURSE_CLAIM } from '#lib/auth/list-claim.ts';
import { type LocalTokenScope, mintLocalToken } from '#lib/auth/local-token.ts';
import { loadLocalAuthorize } from '#local/local-authorizer.ts';
import { type RefusalContext, refusalLine } from '#local/refusal-line.ts';
import { type LocalServer, startLocalServer } from '#local/server.ts';
import { batchBody, distinctEvents, eventsPath, submission } from '../support/http-events.ts';

/**
 * What `npm start` prints on its terminal for each refused request: the server reports the refusal
 * with what decided it (the authorizer's reason, the handler's error), and each line says what to do.
 */
let folder: string;
let context: RefusalContext;
let server: LocalServer;
let printed: string[] = [];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'refusal-lines-'));
  context = { dataDir: join(folder, 'data'), scopeOverrides: {}, courseClaim: DEFAULT_COURSE_CLAIM };
  server = await startLocalServer({
    port: 0,
    authorize: await loadLocalAuthorize(context.dataDir),
    onRefusal: (refusal) => printed.push(refusalLine(refusal, context)),
  });
});

beforeEach(() => {
  printed = [];
});

afterAll(async () => {
  await server?.close();
  await rm(folder, { recursive: true, force: true });
});

const token = (sub: string, scopes: LocalTokenScope[], courseIds: string[], options: { dataDir?: string; now?: Date } = {}) =>
  mintLocalToken({ dataDir: context.dataDir, sub, scopes, courseIds, ttlSeconds: 60, ...options });

const post = (path: string, bearer?: string, body = batchBody(distinctEvents(1))) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer !== undefined && { authorization: `Bearer ${bearer}` }) },
    body,
  });

const DATA_DIR = () => `DATA_DIR=${context.dataDir}`;

describe('the line npm start prints for a refused request', () => {
  it('401 without a token: how to send one, and the command that mints it', async () => {
    const path = eventsPath(submission('s-1', '7'));
    expect((await post(path)).status).toBe(401);
    expect(printed).toEqual([
      `Refused 401 POST ${path}: no token: send "Authorization: Bearer <token>", with a token from ${DATA_DIR()} npm run token -- --sub student-1 --scopes write --course-ids 7`,
    ]);
  });

  it('401 for an expired token', async () => {
    const path = eventsPath(submission('s-1', '7'));
    const expired = await token('student-1', ['write'], ['7'], { now: new Date(Date.now() - 3_600_000) });
    expect((await post(path, expired)).status).toBe(401);
    expect(printed).toEqual([
      `Refused 401 POST ${path}: the token has expired: mint a new one (--ttl sets how long it lasts) with ${DATA_DIR()} npm run token -- --sub student-1 --scopes write --course-ids 7`,
    ]);
  });

  it('401 for a token another DATA_DIR signed', async () => {
    const path = eventsPath(submission('s-1', '7'));
    const foreign = await token('student-1', ['write'], ['7'], { dataDir: join(folder, 'other-data') });
    expect((await post(path, foreign)).status).toBe(401);
    expect(printed).toEqual([
      `Refused 401 POST ${path}: the token was not signed with this server's key (${context.dataDir}/local-jwt-key.json): it was minted with another DATA_DIR, or before that file was replaced; mint one with ${DATA_DIR()} npm run token -- --sub student-1 --scopes write --course-ids 7`,
    ]);
  });

  it("403 for a token without the route's scope: which scope, and --scopes write", async () => {
    const path = eventsPath(submission('s-1', '7'));
    expect((await post(path, await token('student-1', ['read'], ['7']))).status).toBe(403);
    expect(printed).toEqual([
      `Refused 403 POST ${path}: the token lacks this route's scope url:POST|/api/v1/courses/:course_id/quizzes/:quiz_id/submissions/:id/events: mint one with --scopes write: ${DATA_DIR()} npm run token -- --sub student-1 --scopes write --course-ids 7`,
    ]);
  });

  it("403 for a token whose course claim lacks the course: the claim as sent, and --course-ids", async () => {
    const path = eventsPath(submission('s-1', '7'));
    expect((await post(path, await token('student-1', ['write'], ['1', '2']))).status).toBe(403);
    expect(printed).toEqual([
      `Refused 403 POST ${path}: the token's course_ids claim ([1 2]) does not list course 7: mint one with --course-ids 7 (or '*' for every course): ${DATA_DIR()} npm run token -- --sub student-1 --scopes write --course-ids 7`,
    ]);
  });

  it('403 for a submission another sub owns', async () => {
    const path = eventsPath(submission('owned', '7'));
    expect((await post(path, await token('student-1', ['write'], ['7']))).status).toBe(204);
    expect((await post(path, await token('student-2', ['write'], ['7']))).status).toBe(403);
    expect(printed).toEqual([
      `Refused 403 POST ${path}: submission owned of quiz 2 in course 7 belongs to another sub than student-2, its first writer: post as that sub, or to another submission`,
    ]);
  });

  it("400 and the other answers with a body: the body's message", async () => {
    const path = eventsPath(submission('jumps', '7'));
    expect((await post(`${path}?attempt=3`, await token('student-1', ['write'], ['7']))).status).toBe(400);
    expect(printed).toEqual([`Refused 400 POST ${path}: attempt must be 1 for a new submission`]);
  });

  it('404 for a path under /api/ that is no route; nothing for the quiz log site', async () => {
    const bearer = await token('student-1', ['read'], ['7']);
    expect((await fetch(`${server.url}/api/v1/courses/7/quizzes/1/submission/1/events`, { headers: { authorization: `Bearer ${bearer}` } })).status).toBe(404);
    expect((await fetch(`${server.url}/favicon.ico`)).status).toBe(404);
    expect(printed).toEqual(['Refused 404 GET /api/v1/courses/7/quizzes/1/submission/1/events: no such route: the routes are under /api/v1/courses/:course_id/quizzes/:quiz_id/ (docs/api.md)']);
  });
});
