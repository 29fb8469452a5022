import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, MAX_EVENT_DATA_BYTES } from '#lib/domain/limits.ts';
import {
  garbageBody,
  invalidAttempt,
  invalidPage,
  invalidPathId,
  invalidPerPage,
  invalidPostBody,
  unsupportedContentType,
  validBatch,
} from '../support/arbitraries.ts';
import { WRITE_OPERATIONS } from '../support/fault-injection.ts';
import { type Answer, handlersOver } from '../support/handlers.ts';
import { batchBody, distinctEvents, type SubmissionPath, submission } from '../support/http-events.ts';
import { startTestStore, type TestStore } from '../support/test-store.ts';

/**
 * Bad input, straight into the handlers as API Gateway would pass it: always a 4xx with Canvas's error
 * body, never a 5xx, and never a write to the table.
 */

let db: TestStore;
let api: ReturnType<typeof handlersOver>;
let n = 0;
const fresh = () => submission(`bad-${++n}`);
const tally = { requests: 0, fourHundreds: 0, fiveHundreds: 0, writes: 0, arbitrary: 0, arbitraryFiveHundreds: 0 };

beforeAll(async () => {
  db = await startTestStore();
  api = handlersOver(db.store);
});
afterAll(async () => {
  console.log(
    `[reliability] handlers: ${tally.requests} bad requests, ${tally.fourHundreds} answered 4xx, ` +
      `${tally.fiveHundreds} answered 5xx, ${tally.writes} writes; ${tally.arbitrary} arbitrary requests, ${tally.arbitraryFiveHundreds} answered 5xx`,
  );
  await db.close();
});
beforeEach(() => {
  db.calls.length = 0;
});

/** Asserts a refusal: the given 4xx (any 4xx when absent), Canvas's error body, and no write. */
function expectRefused(answer: Answer, status?: number) {
  tally.requests++;
  const writes = db.calls.filter((operation) => WRITE_OPERATIONS.has(operation));
  db.calls.length = 0;
  if (answer.status >= 500) tally.fiveHundreds++;
  if (answer.status >= 400 && answer.status < 500) tally.fourHundreds++;
  tally.writes += writes.length;
  if (status === undefined) {
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
  } else {
    expect(answer.status).toBe(status);
  }
  expect(answer.json).toEqual({ errors: [expect.objectContaining({ message: expect.any(String) })] });
  expect(writes).toEqual([]);
}

const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const oneEvent = batchBody(distinctEvents(1));

describe('POST bodies', () => {
  it.each<[string, string, number]>([
    ['JSON nested 10,000 deep as event_data', `{"quiz_submission_events":[{"event_type":"t","event_data":${deep(10_000)}}]}`, 400],
    ['JSON nested 10,000 deep as the body', deep(10_000), 400],
    ['JSON nested 10,000 deep as the attempt', `{"quiz_submission_events":[],"attempt":${deep(10_000)}}`, 400],
    ['JSON nested 100,000 deep as event_data', `{"quiz_submission_events":[{"event_type":"t","event_data":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}]}`, 400],
    ['a 6 MiB body', batchBody([{ event_type: 't', event_data: 'x'.repeat(6 * 1024 * 1024) }]), 413],
    ['a body one byte over 1 MiB', batchBody([{ event_type: 't', event_data: 'x'.repeat(MAX_BODY_BYTES) }]).slice(0, MAX_BODY_BYTES + 1), 413],
    ['1001 events', batchBody(distinctEvents(1001)), 400],
    ['300 KiB of event_data', batchBody([{ event_type: 't', event_data: 'x'.repeat(300 * 1024) }]), 400],
    ['event_data one byte over 64 KiB', batchBody([{ event_type: 't', event_data: 'x'.repeat(MAX_EVENT_DATA_BYTES - 1) }]), 400],
    ['an event_type of 256 characters', batchBody([{ event_type: 'x'.repeat(256) }]), 400],
    ['a client_timestamp of 450,000 digits', batchBody([{ event_type: 't', client_timestamp: `2014-10-08T19:29:58.${'1'.repeat(450_000)}Z` }]), 400],
    ['a created_at of 65 characters', batchBody([{ event_type: 't', created_at: `2014-10-08T19:29:58.${'1'.repeat(44)}Z` }]), 400],
    ['attempt 1e400 in the body', '{"quiz_submission_events":[{"event_type":"t"}],"attempt":1e400}', 400],
    ['__proto__ holding the events', '{"__proto__":{"quiz_submission_events":[{"event_type":"t"}]}}', 400],
    ['__proto__ holding an event\'s fields', '{"quiz_submission_events":[{"__proto__":{"event_type":"t"}}]}', 400],
    ['a constructor key holding the events', '{"constructor":{"quiz_submission_events":[{"event_type":"t"}]}}', 400],
    ['an empty body', '', 400],
    ['null', 'null', 400],
    ['a lone high surrogate escape as the body', '"\\ud800"', 400],
  ])('refuses %s', async (_, body, status) => {
    expectRefused(await api.postRaw(fresh(), { body }), status);
  });

  it('refuses a body that is not UTF-8', async () => {
    const body = Buffer.concat([Buffer.from('{"quiz_submission_events":[{"event_type":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}]}')]);
    expectRefused(await api.postRaw(fresh(), { body: body.toString('base64'), isBase64Encoded: true }), 400);
  });

  it.each(['text/plain', 'multipart/mixed; boundary=x', 'application/xml', '', 'application/jsonx'])(
    'refuses the content type %j with 415',
    async (contentType) => {
      expectRefused(await api.postRaw(fresh(), { body: oneEvent, headers: { 'content-type': contentType } }), 415);
    },
  );

  it('refuses every invalid body, whatever is wrong with it', async () => {
    await fc.assert(
      fc.asyncProperty(invalidPostBody(), async ({ body }) => {
        expectRefused(await api.postRaw(fresh(), { body }));
      }),
      { numRuns: 150 },
    );
  });

  it('refuses bytes that are not a batch, sent as JSON or as binary', async () => {
    await fc.assert(
      fc.asyncProperty(garbageBody(), fc.boolean(), async (bytes, binary) => {
        const body = binary ? Buffer.from(bytes).toString('base64') : new TextDecoder().decode(bytes);
        expectRefused(await api.postRaw(fresh(), { body, isBase64Encoded: binary }));
      }),
      { numRuns: 100 },
    );
  });

  it('refuses any content type that is neither JSON nor a form', async () => {
    await fc.assert(
      fc.asyncProperty(unsupportedContentType(), async (contentType) => {
        expectRefused(await api.postRaw(fresh(), { body: oneEvent, headers: { 'content-type': contentType } }), 415);
      }),
      { numRuns: 50 },
    );
  });
});

describe('paths', () => {
  it.each([
    ['#', 'a#b'],
    ['/', 'a/b'],
    ['NUL (%00 decoded)', 'a\u0000b'],
    ['unicode', 'é'],
    ['an emoji', '😀'],
    ['a lone surrogate', '\ud800'],
    ['5,000 characters', '7'.repeat(5000)],
    ['nothing', ''],
    ['a key-like text', 'x#attempt#1'],
  ])('refuses an id with %s in any position, for POST and GET', async (_, id) => {
    for (const path of [submission(id), submission('3', id), submission('3', '1', id)]) {
      expectRefused(await api.post(path, distinctEvents(1)), 400);
      expectRefused(await api.get(path), 400);
    }
  });

  it('refuses every invalid id', async () => {
    await fc.assert(
      fc.asyncProperty(invalidPathId(), fc.constantFrom(0, 1, 2), async (id, position) => {
        const ids = ['1', '2', '3'].with(position, id);
        const path: SubmissionPath = { courseId: ids[0]!, quizId: ids[1]!, submissionId: ids[2]! };
        expectRefused(await api.post(path, distinctEvents(1)), 400);
        expectRefused(await api.get(path), 400);
      }),
      { numRuns: 100 },
    );
  });
});

describe('query strings', () => {
  it.each(['per_page=1e309', 'per_page=ten', 'per_page=1.5', 'attempt=1e400', 'attempt=0', 'attempt=-1', 'page=2', 'page=bookmark:', 'page=bookmark:AAAA'])(
    'GET refuses %s',
    async (query) => {
      const path = fresh();
      await api.post(path, distinctEvents(3));
      db.calls.length = 0;
      expectRefused(await api.get(path, query), 400);
    },
  );

  it.each(['attempt=1e400', 'attempt=0', 'attempt=01', 'attempt=2147483648', 'attempt=1&attempt=2'])('POST refuses %s', async (query) => {
    expectRefused(await api.post(fresh(), distinctEvents(1), { query }), 400);
  });

  it('GET refuses a damaged bookmark and a bookmark of another attempt', async () => {
    const path = fresh();
    await api.post(path, distinctEvents(5), { query: 'attempt=1' });
    await api.post(path, distinctEvents(5), { query: 'attempt=2' });
    const next = new URL(/<([^>]+)>; rel="next"/.exec((await api.get(path, 'attempt=1&per_page=2')).headers.link!)![1]!);
    const bookmark = next.searchParams.get('page')!;
    db.calls.length = 0;
    for (const damaged of [`${bookmark.slice(0, -1)}${bookmark.endsWith('A') ? 'B' : 'A'}`, `${bookmark}A`, bookmark.slice(0, -2)]) {
      expectRefused(await api.get(path, `attempt=1&page=${damaged}`), 400);
    }
    expectRefused(await api.get(path, `attempt=2&page=${bookmark}`), 400);
  });

  it('a bookmark from another submission is refused and reads nothing', async () => {
    // Arrange: a bookmark taken from submission A, used on submission B.
    const [a, b] = [fresh(), fresh()];
    await api.post(a, distinctEvents(6));
    await api.post(b, distinctEvents(6, Date.parse('2014-10-08T18:59:57.000Z')));
    const link = (await api.get(a, 'per_page=2')).headers.link!;
    const page = new URL(/<([^>]+)>; rel="next"/.exec(link)![1]!).searchParams.get('page')!;
    // Act
    const read = await api.get(b, `page=${page}&per_page=100`);
    // Assert
    expect(read.status).toBe(400);
    expect(read.json.errors[0].field).toBe('page');
  });

  it('GET refuses every invalid attempt, per_page and page', async () => {
    const path = fresh();
    await api.post(path, distinctEvents(3));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          invalidAttempt().map((value) => ['attempt', value] as const),
          invalidPerPage().map((value) => ['per_page', value] as const),
          invalidPage().map((value) => ['page', value] as const),
        ),
        async ([name, value]) => {
          db.calls.length = 0;
          expectRefused(await api.get(path, new URLSearchParams({ [name]: value }).toString()), 400);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('POST refuses every invalid attempt, in the query or the body', async () => {
    await fc.assert(
      fc.asyncProperty(invalidAttempt(), fc.boolean(), async (attempt, inBody) => {
        const answer = inBody
          ? await api.postRaw(fresh(), { body: `{"quiz_submission_events":[{"event_type":"t"}],"attempt":${JSON.stringify(attempt)}}` })
          : await api.post(fresh(), distinctEvents(1), { query: new URLSearchParams({ attempt }).toString() });
        expectRefused(answer, 400);
      }),
      { numRuns: 80 },
    );
  });
});

describe('anything at all', () => {
  it('is never answered 5xx, and writes only when it is a valid batch', async () => {
    const anyId = fc.oneof(fc.constantFrom('1', '2', 'abc'), invalidPathId());
    const anyQuery = fc.oneof(
      fc.constant(''),
      fc.webQueryParameters(),
      fc.string({ unit: 'binary', maxLength: 40 }),
      invalidAttempt().map((value) => `attempt=${encodeURIComponent(value)}`),
    );
    const anyBody = fc.oneof(
      invalidPostBody().map(({ body }) => ({ body, binary: false })),
      garbageBody().map((bytes) => ({ body: Buffer.from(bytes).toString('base64'), binary: true })),
      validBatch({ maxLength: 3 }).map((events) => ({ body: batchBody(events), binary: false })),
    );
    const anyHeaders = fc.record(
      {
        'content-type': fc.oneof(fc.constant('application/json'), unsupportedContentType()),
        'x-forwarded-proto': fc.string({ maxLength: 10 }),
        host: fc.string({ maxLength: 20 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST'), fc.tuple(anyId, anyId, anyId), anyQuery, anyBody, anyHeaders, async (method, ids, query, body, headers) => {
        const path: SubmissionPath = { courseId: ids[0], quizId: ids[1], submissionId: ids[2] };
        db.calls.length = 0;
        const answer =
          method === 'POST'
            ? await api.postRaw(path, { body: body.body, isBase64Encoded: body.binary, query, headers })
            : await api.get(path, query, { headers });
        tally.arbitrary++;
        if (answer.status >= 500) tally.arbitraryFiveHundreds++;
        expect(answer.status).toBeLessThan(500);
        if (answer.status !== 204) expect(db.calls.filter((operation) => WRITE_OPERATIONS.has(operation))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
