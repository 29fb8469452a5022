import { describe, expect, it } from 'vitest';
import { parseLinks, type ReturnedEvent, useHandlersOnTestStore } from '../support/handlers.ts';
import { distinctEvents } from '../support/http-events.ts';

const harness = useHandlersOnTestStore('get');
const { fresh } = harness;

describe('GET events', () => {
  it("answers Canvas's shape: one root key, Canvas's four keys plus our three", async () => {
    const path = fresh();
    await harness.api.post(path, [
      { client_timestamp: '2014-11-16T13:37:21Z', event_type: 'page_blurred' },
      { client_timestamp: '2014-11-16T13:37:27.5+01:00', event_type: 'page_focused', event_data: null },
    ]);
    const read = await harness.api.get(path);
    expect(read.status).toBe(200);
    expect(read.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Object.keys(read.json)).toEqual(['quiz_submission_events']);
    const [focused, blurred] = read.json.quiz_submission_events as ReturnedEvent[];
    expect(Object.keys(blurred!).sort()).toEqual(
      ['attempt', 'client_timestamp', 'created_at', 'event_data', 'event_type', 'id', 'received_at'].sort(),
    );
    expect(focused).toMatchObject({
      event_type: 'page_focused',
      event_data: null,
      created_at: '2014-11-16T12:37:27.500Z',
      client_timestamp: '2014-11-16T13:37:27.5+01:00',
      attempt: 1,
    });
    expect(blurred).toMatchObject({ created_at: '2014-11-16T13:37:21.000Z', client_timestamp: '2014-11-16T13:37:21Z' });
    expect(typeof blurred!.id).toBe('string');
    expect(Date.parse(blurred!.received_at)).toBeGreaterThan(Date.parse('2026-01-01'));
  });

  it('uses the receipt time as created_at when there is no client time or it is over 5 minutes ahead', async () => {
    const path = fresh();
    const before = Date.now();
    await harness.api.post(path, [
      { event_type: 'none' },
      { event_type: 'ahead', client_timestamp: new Date(before + 6 * 60_000).toISOString() },
      { event_type: 'slightly-ahead', client_timestamp: new Date(before + 4 * 60_000).toISOString() },
    ]);
    const events: ReturnedEvent[] = (await harness.api.get(path)).json.quiz_submission_events;
    const byType = Object.fromEntries(events.map((e) => [e.event_type, e]));
    expect(byType.none!.created_at).toBe(byType.none!.received_at);
    expect(byType.ahead!.created_at).toBe(byType.ahead!.received_at);
    expect(byType['slightly-ahead']!.created_at).toBe(new Date(before + 4 * 60_000).toISOString());
  });

  it('reads the oldest API version\'s created_at as the client time', async () => {
    const path = fresh();
    await harness.api.post(path, [{ event_type: 'legacy', created_at: '2014-10-08T19:29:58Z' }]);
    const [event] = (await harness.api.get(path)).json.quiz_submission_events;
    expect(event).toMatchObject({ created_at: '2014-10-08T19:29:58.000Z', client_timestamp: '2014-10-08T19:29:58Z' });
  });

  it('returns event_data exactly as sent', async () => {
    const path = fresh();
    let nested: unknown = 'bottom';
    for (let i = 0; i < 100; i++) nested = [nested];
    const samples: unknown[] = [
      { text: 'Grüße, 日本語, emoji 🎓, quote " and backslash \\, <script>&amp;' },
      { max: 2 ** 53 - 1, min: -(2 ** 53 - 1), float: 0.1 + 0.2, tiny: 5e-324, big: 1.7976931348623157e308, negZero: 0 },
      nested,
      [true, false, null, '', 0, [], {}],
      'a bare string',
      42,
      JSON.parse('{"__proto__":"not a prototype","constructor":1}'),
    ];
    const at = (i: number) => `2014-10-08T19:29:${String(10 + i).padStart(2, '0')}.000Z`;
    const sent = samples.map((event_data, i) => ({ client_timestamp: at(i), event_type: `sample-${i}`, event_data }));
    await harness.api.post(path, [...sent, { client_timestamp: at(samples.length), event_type: 'absent' }]);
    const events: ReturnedEvent[] = (await harness.api.get(path, 'per_page=50')).json.quiz_submission_events;
    expect(events.map((e) => e.event_data)).toEqual([...samples, null]);
    // The JSON text itself, not only the parsed value: numbers and the __proto__ key are unchanged.
    const raw = (await harness.api.get(path, 'per_page=50')).body;
    expect(raw).toContain('"max":9007199254740991');
    expect(raw).toContain('"float":0.30000000000000004');
    expect(raw).toContain('{"__proto__":"not a prototype","constructor":1}');
  });

  it('returns numbers a double cannot hold exactly as they were written', async () => {
    const path = fresh();
    const eventData = '{"big":12345678901234567890,"huge":1e400,"precise":1234567.89012345678,"list":[-98765432109876543210.5,1]}';
    const body = `{"quiz_submission_events":[{"client_timestamp":"2014-10-08T19:29:58Z","event_type":"t","event_data":${eventData}}]}`;
    expect((await harness.api.postRaw(path, { body })).status).toBe(204);
    expect((await harness.api.postRaw(path, { body })).status).toBe(204);
    const raw = (await harness.api.get(path)).body;
    expect(raw).toContain(`"event_data":${eventData}`);
    expect(raw.match(/"event_type"/g)).toHaveLength(1);
  });

  it('orders by created_at, whatever order the batches came in', async () => {
    const path = fresh();
    const events = distinctEvents(20);
    await harness.api.post(path, events.slice(10));
    await harness.api.post(path, events.slice(0, 10).reverse());
    const read: ReturnedEvent[] = (await harness.api.get(path, 'per_page=50')).json.quiz_submission_events;
    expect(read.map((e) => e.client_timestamp)).toEqual(events.map((e) => e.client_timestamp));
  });

  it('keeps a stable order for events in the same millisecond, across reads and pages', async () => {
    const path = fresh();
    const at = '2014-10-08T19:29:58.123Z';
    await harness.api.post(path, Array.from({ length: 12 }, (_, i) => ({ client_timestamp: at, event_type: `same-ms-${i}` })));
    const whole = (await harness.api.get(path, 'per_page=100')).json.quiz_submission_events.map((e: ReturnedEvent) => e.id);
    const again = (await harness.api.get(path, 'per_page=100')).json.quiz_submission_events.map((e: ReturnedEvent) => e.id);
    const paged = (await harness.api.walk(path, 'per_page=5')).pages.flat().map((e) => e.id);
    expect(whole).toHaveLength(12);
    expect(again).toEqual(whole);
    expect(paged).toEqual(whole);
  });

  it('walks 250 events at per_page 7: each once, in order, with the attempt kept in every link', async () => {
    const path = fresh();
    const sent = distinctEvents(250);
    await harness.api.post(path, sent.slice(0, 125));
    await harness.api.post(path, sent.slice(125));
    const { pages, links } = await harness.api.walk(path, 'attempt=1&per_page=7');
    expect(pages).toHaveLength(36);
    expect(pages.slice(0, -1).every((page) => page.length === 7)).toBe(true);
    expect(pages.flat().map((e) => e.client_timestamp)).toEqual(sent.map((e) => e.client_timestamp));
    for (const link of links) {
      for (const url of Object.values(parseLinks(link))) expect(new URL(url).searchParams.get('attempt')).toBe('1');
    }
    expect(parseLinks(links.at(-1)).next).toBeUndefined();
  });

  it("builds Canvas's Link header: absolute URLs, other parameters sorted, then page and per_page", async () => {
    const path = fresh();
    await harness.api.post(path, distinctEvents(3));
    const first = await harness.api.get(path, 'zeta=1&per_page=2&access_token=secret&attempt=1&alpha=x%20y');
    const links = parseLinks(first.headers.link);
    const base = `https://events.example.com/api/v1/courses/1/quizzes/2/submissions/${path.submissionId}/events`;
    expect(Object.keys(links)).toEqual(['current', 'next', 'first']);
    expect(links.current).toBe(`${base}?alpha=x+y&attempt=1&zeta=1&page=1&per_page=2`);
    expect(links.first).toBe(`${base}?alpha=x+y&attempt=1&zeta=1&page=1&per_page=2`);
    expect(links.next).toMatch(new RegExp(`^${base.replace(/[.?]/g, '\\$&')}\\?alpha=x\\+y&attempt=1&zeta=1&page=bookmark:[\\w-]+&per_page=2$`));
    expect(first.headers.link).not.toContain('secret');
    const second = await harness.api.get(path, new URL(links.next!).search.slice(1));
    expect(parseLinks(second.headers.link).current).toBe(links.next);
    expect(parseLinks(second.headers.link).next).toBeUndefined();
  });

  it('reads the latest attempt by default and any attempt by number', async () => {
    const path = fresh();
    await harness.api.post(path, distinctEvents(2));
    await harness.api.post(path, distinctEvents(3), { query: 'attempt=2' });
    expect((await harness.api.get(path)).json.quiz_submission_events).toHaveLength(3);
    expect((await harness.api.get(path, 'attempt=1')).json.quiz_submission_events).toHaveLength(2);
  });

  it.each([
    ['an unknown submission', ''],
    ['an attempt with no events', 'attempt=7'],
  ])('answers 404 for %s', async (_, query) => {
    const path = fresh();
    if (query) await harness.api.post(path, distinctEvents(1));
    const read = await harness.api.get(path, query);
    expect(read.status).toBe(404);
    expect(read.json).toEqual({ errors: [{ message: 'The specified resource does not exist.' }] });
  });

  it.each([
    ['per_page=0', 1],
    ['per_page=-5', 1],
    ['per_page=1000', 100],
    ['per_page=99999999999999999999999', 100],
    ['', 10],
  ])('clamps %j to %i events a page', async (query, expected) => {
    const path = fresh();
    await harness.api.post(path, distinctEvents(120));
    const read = await harness.api.get(path, query);
    expect(read.json.quiz_submission_events).toHaveLength(expected);
    expect(new URL(parseLinks(read.headers.link).current!).searchParams.get('per_page')).toBe(String(expected));
  });

  it.each(['per_page=abc', 'per_page=1e309', 'per_page=2.5', 'page=2', 'page=0', 'page=abc', 'page=bookmark:', 'attempt=0', 'attempt=x'])(
    'refuses %s with 400',
    async (query) => {
      const path = fresh();
      await harness.api.post(path, distinctEvents(1));
      const read = await harness.api.get(path, query);
      expect(read.status).toBe(400);
      expect(read.json.errors[0].message).toEqual(expect.any(String));
    },
  );
});

describe('bookmarks', () => {
  const damaged = [
    ['random text', 'bookmark:bm90LWEtYm9va21hcms'],
    ['a truncated token', (token: string) => token.slice(0, -3)],
    ['a token with a flipped character', (token: string) => token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.at(-1)],
    ['a forged sort key', `bookmark:${Buffer.from(JSON.stringify([1, 'course#1#quiz#2'])).toString('base64url')}`],
    ['a forged attempt', `bookmark:${Buffer.from(JSON.stringify([0, '2014-10-08T19:00:00.000Z#aaaaaaaaaaaaaaaaaaaaaa'])).toString('base64url')}`],
  ] as const;

  it.each(damaged)('refuses %s with 400 and reads nothing', async (_, make) => {
    const path = fresh();
    await harness.api.post(path, distinctEvents(5));
    const firstPage = await harness.api.get(path, 'per_page=2');
    const next = new URL(parseLinks(firstPage.headers.link).next!).searchParams.get('page')!;
    const page = typeof make === 'string' ? make : make(next);
    harness.db.calls.length = 0;
    const read = await harness.api.get(path, `page=${page}&per_page=2`);
    expect(read.status).toBe(400);
    expect(read.json.errors[0].field).toBe('page');
    expect(harness.db.calls).toEqual([]);
  });

  it("refuses another submission's bookmark with 400", async () => {
    const mine = fresh();
    const theirs = fresh();
    await harness.api.post(mine, distinctEvents(4));
    await harness.api.post(theirs, distinctEvents(4, Date.parse('2030-01-01T00:00:00Z')).map((e) => ({ ...e, event_type: 'theirs' })));
    const theirNext = parseLinks((await harness.api.get(theirs, 'per_page=1')).headers.link).next!;
    harness.db.calls.length = 0;
    const read = await harness.api.get(mine, new URL(theirNext).search.slice(1));
    expect(read.status).toBe(400);
    expect(harness.db.calls).toEqual([]);
  });

  it('refuses a bookmark of another attempt than the one asked for', async () => {
    const path = fresh();
    await harness.api.post(path, distinctEvents(3), { query: 'attempt=1' });
    await harness.api.post(path, distinctEvents(3), { query: 'attempt=2' });
    const page = new URL(parseLinks((await harness.api.get(path, 'attempt=2&per_page=1')).headers.link).next!).searchParams.get('page');
    const read = await harness.api.get(path, `attempt=1&page=${page}`);
    expect(read.status).toBe(400);
  });
});

describe('readers without a subject', () => {
  it('a reporting service whose token has no sub may read', async () => {
    const path = fresh();
    await harness.api.post(path, distinctEvents(2));
    const read = await harness.api.get(path, '', { subject: '' });
    expect(read.status).toBe(200);
    expect(read.json.quiz_submission_events).toHaveLength(2);
  });

  it('but cannot write: without a sub there is no one to own the submission', async () => {
    const path = fresh();
    const posted = await harness.api.post(path, distinctEvents(2), { subject: '' });
    expect(posted.status).toBe(403);
    expect(harness.db.calls).toEqual([]);
  });
});

describe('course-limited readers', () => {
  it.each([
    ['[1 7]', 200],
    ['1', 200],
    ['7,8', 403],
    ['[]', 403],
  ])('a token whose course_ids claim is %j reads course 1 → %i', async (courses, status) => {
    const path = fresh();
    await harness.api.post(path, distinctEvents(1));
    const read = await harness.api.get(path, '', { claims: { course_ids: courses } });
    expect(read.status).toBe(status);
    if (status === 403) {
      expect(read.json).toEqual({ status: 'unauthorized', errors: [{ message: 'user not authorized to perform that action' }] });
    }
  });
});
