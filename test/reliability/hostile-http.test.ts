import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '#local/server.ts';
import { garbageBody, invalidPathId, invalidPostBody, unsupportedContentType } from '../support/arbitraries.ts';
import { type FaultInjector, injectFaults } from '../support/fault-injection.ts';
import { batchBody, distinctEvents, eventsPath, submission } from '../support/http-events.ts';
import { authorizeBySubjectHeader, percentEncoded, type RawRequest, rawRequest } from '../support/local-http.ts';

/**
 * Bad input over real HTTP, through the local server: what reaches the functions is answered 4xx,
 * what the gateway stops (unknown methods and routes, oversized bodies) is answered 4xx too, malformed
 * HTTP never takes the server down, and nothing of it is written.
 */

let server: LocalServer;
/** Counts the writes the server's functions make; injects nothing. */
let table: FaultInjector;
let writesBefore = 0;
const tally = { bad: 0, fiveHundreds: 0, writes: 0, odd: 0, oddFiveHundreds: 0 };

beforeAll(async () => {
  server = await startLocalServer({ port: 0, authorize: authorizeBySubjectHeader });
  table = injectFaults(server.documentClient, () => undefined);
});
afterAll(async () => {
  console.log(
    `[reliability] local server: ${tally.bad} bad requests over HTTP, ${tally.fiveHundreds} answered 5xx, ${tally.writes} writes; ` +
      `${tally.odd} valid requests with odd headers, ${tally.oddFiveHundreds} answered 5xx`,
  );
  await server.close();
});
beforeEach(() => {
  writesBefore = table.writes.length;
});

const owned = submission('hostile-owned');
const target = (query = '') => `${eventsPath(owned)}${query ? `?${query}` : ''}`;
const json = { 'content-type': 'application/json' };

const failed = (status: number | 'no-answer') => status === 'no-answer' || status >= 500;

/** A valid request dressed oddly. */
async function sendOdd(request: RawRequest) {
  const answer = await rawRequest(server.url, request);
  tally.odd++;
  if (failed(answer.status)) tally.oddFiveHundreds++;
  return answer;
}

/** Asserts a refusal with a 4xx (the given one when present) and that nothing was written since the test began. */
async function expectRefused(request: RawRequest, status?: number) {
  const answer = await rawRequest(server.url, request);
  tally.bad++;
  if (failed(answer.status)) tally.fiveHundreds++;
  const writes = table.writes.length - writesBefore;
  tally.writes += writes;
  if (status !== undefined) expect(answer.status, request.target.slice(0, 120)).toBe(status);
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(writes).toBe(0);
  return answer;
}

/** Raw bytes on a fresh connection; resolves with the status line, or what happened instead. */
function rawBytes(bytes: Uint8Array | string): Promise<string> {
  const { port } = new URL(server.url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.setTimeout(2_000, () => {
      socket.destroy();
      resolve('no answer in 2 s');
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1').split('\r\n', 1)[0]!));
    socket.on('error', () => resolve('connection error'));
  });
}

beforeAll(async () => {
  // The submission exists, so that a GET that got through would answer 200.
  expect((await rawRequest(server.url, { method: 'POST', target: target(), headers: json, body: batchBody(distinctEvents(5)) })).status).toBe(204);
});

describe('methods other than GET and POST', () => {
  it.each(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND'])('%s is 404, as the gateway answers a route it lacks, and changes nothing', async (method) => {
    await expectRefused({ method, target: target(), headers: json, body: batchBody(distinctEvents(1)) }, 404);
  });

  it('a method HTTP does not know is 400 from the HTTP parser', async () => {
    await expectRefused({ method: 'FOO', target: target(), headers: json, body: batchBody(distinctEvents(1)) }, 400);
  });
});

describe('bodies', () => {
  it.each<[string, string | Uint8Array, number]>([
    ['not UTF-8', Buffer.from([0x7b, 0x22, 0x71, 0xc3, 0x28, 0xff, 0x22, 0x3a, 0x5b, 0x5d, 0x7d]), 400],
    ['JSON nested 10,000 deep', `{"quiz_submission_events":[{"event_type":"t","event_data":${'['.repeat(10_000)}${']'.repeat(10_000)}}]}`, 400],
    ['of 6 MiB', batchBody([{ event_type: 't', event_data: 'x'.repeat(6 * 1024 * 1024) }]), 413],
    ['of 11 MiB, past the gateway', 'x'.repeat(11 * 1024 * 1024), 413],
    ['of 1001 events', batchBody(distinctEvents(1001)), 400],
    ['with 300 KiB of event_data', batchBody([{ event_type: 't', event_data: 'x'.repeat(300 * 1024) }]), 400],
    ['with an event_type of 256 characters', batchBody([{ event_type: 'x'.repeat(256) }]), 400],
    ['with __proto__ holding the events', '{"__proto__":{"quiz_submission_events":[{"event_type":"t"}]}}', 400],
  ])('a body %s is refused', async (_, body, status) => {
    await expectRefused({ method: 'POST', target: target(), headers: json, body }, status);
  });

  it.each(['text/plain', 'multipart/mixed; boundary=x', 'application/xml'])('content type %s is 415', async (type) => {
    await expectRefused({ method: 'POST', target: target(), headers: { 'content-type': type }, body: batchBody(distinctEvents(1)) }, 415);
  });

  it('any invalid body, or bytes that are not a batch, under any content type', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(invalidPostBody().map(({ body }) => body), garbageBody()),
        fc.oneof(fc.constant('application/json'), unsupportedContentType(), fc.constant(undefined)),
        async (body, type) => {
          await expectRefused({ method: 'POST', target: target(), headers: type === undefined ? {} : { 'content-type': type }, body });
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('paths and query strings', () => {
  it.each([
    ['%23 (#)', 'a%23b'],
    ['%2F (/)', 'a%2Fb'],
    ['%00', 'a%00b'],
    ['unicode', '%C3%A9'],
    ['a lone surrogate in WTF-8', '%ED%A0%80'],
    ['5,000 characters', '7'.repeat(5000)],
    ['a bad escape', '%E0%A4%A'],
  ])('an id with %s is 400 for POST and GET', async (_, id) => {
    const path = `/api/v1/courses/1/quizzes/2/submissions/${id}/events`;
    await expectRefused({ method: 'POST', target: path, headers: json, body: batchBody(distinctEvents(1)) }, 400);
    await expectRefused({ method: 'GET', target: path }, 400);
  });

  it('any invalid id, percent-encoded, in any position (an empty one matches no route: 404)', async () => {
    await fc.assert(
      fc.asyncProperty(invalidPathId(), fc.constantFrom(0, 1, 2), async (id, position) => {
        const ids = ['1', '2', '3'].with(position, percentEncoded(id));
        const path = `/api/v1/courses/${ids[0]}/quizzes/${ids[1]}/submissions/${ids[2]}/events`;
        await expectRefused({ method: 'POST', target: path, headers: json, body: batchBody(distinctEvents(1)) }, id === '' ? 404 : 400);
      }),
      { numRuns: 40 },
    );
  });

  it.each(['per_page=1e309', 'attempt=1e400', 'page=2', 'page=bookmark:AAAA', 'page=bookmark:WzEsIngiXQ', 'attempt=1&attempt=2'])('GET with %s is 400', async (query) => {
    await expectRefused({ method: 'GET', target: target(query) }, 400);
  });

  it('POST with attempt=1e400 is 400', async () => {
    await expectRefused({ method: 'POST', target: target('attempt=1e400'), headers: json, body: batchBody(distinctEvents(1)) }, 400);
  });
});

describe('headers', () => {
  it('__proto__ and constructor as header names and query keys change nothing', async () => {
    const headers = { ...json, ['__proto__']: 'x', constructor: 'y', hasOwnProperty: 'z' };
    const answer = await sendOdd({ method: 'GET', target: target('__proto__=1&constructor=2'), headers });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).quiz_submission_events).toHaveLength(5);
  });

  it('any extra headers never make a 5xx', async () => {
    const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((name) => !['content-length', 'transfer-encoding', 'host', 'connection', 'expect', 'upgrade', 'content-type', 'x-test-subject'].includes(name));
    const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,60}$/);
    await fc.assert(
      fc.asyncProperty(fc.dictionary(headerName, headerValue, { maxKeys: 8 }), fc.constantFrom('GET', 'POST'), async (headers, method) => {
        const answer = await sendOdd({ method, target: target(), headers: { ...json, ...headers }, body: method === 'POST' ? batchBody(distinctEvents(2)) : undefined });
        expect([200, 204]).toContain(answer.status);
      }),
      { numRuns: 40 },
    );
  });
});

describe('malformed HTTP', () => {
  it.each<[string, string | Uint8Array]>([
    ['garbage', 'HELLO\r\n\r\n'],
    ['binary bytes', Uint8Array.from([0, 1, 2, 255, 13, 10, 13, 10])],
    ['a DEL in a header', `GET ${target()} HTTP/1.1\r\nHost: a\x7fb\r\n\r\n`],
    ['raw UTF-8 in the path', Buffer.concat([Buffer.from('GET /api/v1/courses/1/quizzes/2/submissions/'), Buffer.from('é'), Buffer.from('/events HTTP/1.1\r\nHost: x\r\n\r\n')])],
    ['two different Content-Lengths', `POST ${target()} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef`],
    ['a broken chunked body', `POST ${target()} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`],
  ])('%s is refused with 400 by the server, which keeps serving', async (_, bytes) => {
    const statusLine = await rawBytes(bytes);
    tally.bad++;
    if (!/^HTTP\/1\.1 4\d\d /.test(statusLine)) tally.fiveHundreds++;
    expect(statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect((await rawRequest(server.url, { method: 'GET', target: target() })).status).toBe(200);
    expect(table.writes.length - writesBefore).toBe(0);
  });
});
