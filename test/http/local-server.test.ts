import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '#local/server.ts';
import { parseLinks, type ReturnedEvent } from '../support/api-shapes.ts';
import { batchBody, distinctEvents, eventsPath, submission } from '../support/http-events.ts';
import { authorizeBySubjectHeader } from '../support/local-http.ts';

let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer({
    port: 0,
    authorize: authorizeBySubjectHeader,
  });
});
afterAll(() => server.close());

const url = (path: string) => `${server.url}${path}`;
const post = (path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(url(path), { method: 'POST', headers, body });

describe('the local server', () => {
  it('serves POST 204 and GET 200 over HTTP', async () => {
    const path = eventsPath(submission('http-1'));
    const posted = await post(path, batchBody(distinctEvents(3)));
    expect(posted.status).toBe(204);
    expect(await posted.text()).toBe('');
    const read = await fetch(url(path));
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((await read.json()).quiz_submission_events).toHaveLength(3);
  });

  it('walks every page through absolute Link URLs that keep the attempt', async () => {
    const path = eventsPath(submission('http-2'));
    const sent = distinctEvents(23);
    await post(`${path}?attempt=1`, batchBody(sent));
    const seen: ReturnedEvent[] = [];
    let next: string | undefined = url(`${path}?attempt=1&per_page=5`);
    while (next) {
      const page: Response = await fetch(next);
      expect(page.status).toBe(200);
      seen.push(...(await page.json()).quiz_submission_events);
      const links = parseLinks(page.headers.get('link') ?? undefined);
      expect(links.current!.startsWith(`${server.url}${path}?attempt=1&page=`)).toBe(true);
      next = links.next;
    }
    expect(seen.map((e) => e.client_timestamp)).toEqual(sent.map((e) => e.client_timestamp));
  });

  it('runs beside a second server in the same process, each on its own store', async () => {
    // Arrange: a second server, in memory, that lets every request through
    const other = await startLocalServer({ port: 0, authorize: authorizeBySubjectHeader });
    const path = submission('http-two-servers');
    try {
      // Act
      const posted = await fetch(`${other.url}${eventsPath(path)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: batchBody(distinctEvents(2)) });
      const here = await fetch(url(eventsPath(path)));
      const there = await fetch(`${other.url}${eventsPath(path)}`);
      // Assert
      expect(posted.status).toBe(204);
      expect(here.status).toBe(404);
      expect((await there.json()).quiz_submission_events).toHaveLength(2);
    } finally {
      await other.close();
    }
  });

  it('answers unknown routes and other methods with the gateway\'s 404 JSON', async () => {
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/api/v1/courses/1/quizzes/2/submissions/3'],
      ['DELETE', eventsPath(submission('http-3'))],
      ['PUT', eventsPath(submission('http-3'))],
    ] as const) {
      const answer = await fetch(url(path), { method });
      expect(answer.status).toBe(404);
      expect(await answer.json()).toEqual({ message: 'Not Found' });
    }
  });

  it('refuses encoded slashes, hashes and NUL in path ids with 400', async () => {
    for (const id of ['a%2Fb', 'a%23b', 'a%00b', '%E2%82%AC']) {
      const answer = await post(`/api/v1/courses/1/quizzes/2/submissions/${id}/events`, batchBody(distinctEvents(1)));
      expect(answer.status, id).toBe(400);
    }
  });

  it('passes a body that is not UTF-8 base64-encoded, and the function refuses it with 400', async () => {
    const answer = await fetch(url(eventsPath(submission('http-4'))), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]),
    });
    expect(answer.status).toBe(400);
  });

  it('answers 415 to a text/plain post and 413 to a body over 1 MiB', async () => {
    const path = eventsPath(submission('http-5'));
    expect((await post(path, 'a=b', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(path, batchBody([{ event_type: 't', event_data: 'x'.repeat(5 * 1024 * 1024) }]))).status).toBe(413);
  });
});

