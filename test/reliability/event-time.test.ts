import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_CLIENT_CLOCK_LEAD_MS } from '#lib/domain/limits.ts';
import { handlersOver, type ReturnedEvent } from '../support/handlers.ts';
import { type ClientEvent, submission } from '../support/http-events.ts';
import { readThrough, sendThrough } from '../support/in-process-client.ts';
import { QuizClient, reconcile, seededRandom } from '../support/quiz-client.ts';
import { startTestStore, type TestStore } from '../support/test-store.ts';

/**
 * Time as SPEC §2 has it: created_at is the client's time in UTC with milliseconds, unless there is
 * none or it is more than 5 minutes ahead of receipt, then the receipt time; order is by created_at.
 * The server clock is a test's own here, so that "ahead" and "resent later" are exact.
 */

let db: TestStore;
let api: ReturnType<typeof handlersOver>;
let n = 0;
const fresh = () => submission(`time-${++n}`);

const SERVER_START = Date.parse('2024-03-10T12:00:00.000Z');
let serverNow = SERVER_START;

beforeAll(async () => {
  db = await startTestStore();
  api = handlersOver(db.store);
});
afterAll(() => db.close());
beforeEach(() => {
  serverNow = SERVER_START;
  vi.spyOn(Date, 'now').mockImplementation(() => serverNow);
});
afterEach(() => vi.restoreAllMocks());

const iso = (ms: number) => new Date(ms).toISOString();

/** Posts the events, then resends them `resends` times, the server clock 15 s later each time. */
async function postAndResend(path: ReturnType<typeof fresh>, events: ClientEvent[], resends = 2): Promise<ReturnedEvent[]> {
  for (let i = 0; i <= resends; i++) {
    expect((await api.post(path, events)).status).toBe(204);
    serverNow += 15_000;
  }
  return readThrough(api, path);
}

describe('client clocks ahead of the server', () => {
  it('up to 5 minutes ahead: created_at is the client time, and resends store the event once', async () => {
    const edge = { event_type: 'edge', client_timestamp: iso(SERVER_START + MAX_CLIENT_CLOCK_LEAD_MS) };
    const near = { event_type: 'near', client_timestamp: iso(SERVER_START + 60_000) };
    const stored = await postAndResend(fresh(), [edge, near]);
    expect(stored.map((event) => [event.event_type, event.created_at])).toEqual([
      ['near', near.client_timestamp],
      ['edge', edge.client_timestamp],
    ]);
  });

  it('more than 5 minutes ahead: created_at is the receipt time', async () => {
    const path = fresh();
    const ahead = [
      { event_type: 'just-past', client_timestamp: iso(SERVER_START + MAX_CLIENT_CLOCK_LEAD_MS + 1) },
      { event_type: 'year-9999', client_timestamp: '9999-12-31T23:59:59.999Z' },
    ];
    expect((await api.post(path, ahead)).status).toBe(204);
    const stored = await readThrough(api, path);
    expect(stored).toHaveLength(2);
    for (const event of stored) {
      expect(event.created_at).toBe(iso(SERVER_START));
      expect(event.received_at).toBe(iso(SERVER_START));
    }
    expect(stored.map((event) => event.client_timestamp).sort()).toEqual(ahead.map((event) => event.client_timestamp).sort());
  });

  it('documents a known limit: more than 5 minutes ahead, or without a client time, a resend at another millisecond is stored again', async () => {
    // The key holds the event time, which is then the receipt time: every receipt makes a new key.
    const path = fresh();
    const events = [{ event_type: 'ahead', client_timestamp: '9999-12-31T23:59:59.999Z' }, { event_type: 'no-time' }];
    const stored = await postAndResend(path, events, 1);
    expect(stored.map((event) => event.event_type).sort()).toEqual(['ahead', 'ahead', 'no-time', 'no-time']);
  });

  it('documents it too: resent within the same millisecond of server time, such events are stored once', async () => {
    const path = fresh();
    const events = [{ event_type: 'no-time' }];
    expect((await api.post(path, events)).status).toBe(204);
    expect((await api.post(path, events)).status).toBe(204);
    expect(await readThrough(api, path)).toHaveLength(1);
  });
});

describe('client clocks far in the past', () => {
  it('keeps any past time from year 0 on as created_at, sorted, each event once however often resent', async () => {
    const times = ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z', '1066-10-14T09:00:00Z', '1900-02-28T23:59:59.999Z', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00Z'];
    const events = [...times].reverse().map((client_timestamp) => ({ event_type: 'old', client_timestamp }));
    const stored = await postAndResend(fresh(), events);
    expect(stored.map((event) => event.created_at)).toEqual([
      '0000-01-01T00:00:00.000Z',
      '0001-01-01T00:00:00.000Z',
      '1066-10-14T09:00:00.000Z',
      '1900-02-28T23:59:59.999Z',
      '1969-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00.000Z',
    ]);
    expect(stored.map((event) => event.client_timestamp)).toEqual(times);
  });

  it('refuses times outside years 0000 to 9999 in UTC with 400, storing nothing of the batch', async () => {
    for (const client_timestamp of ['10000-01-01T00:00:00Z', '0000-01-01T00:30:00+01:00', '9999-12-31T23:30:00-01:00', '-000001-01-01T00:00:00Z']) {
      const path = fresh();
      const answer = await api.post(path, [{ event_type: 'fine', client_timestamp: iso(SERVER_START) }, { event_type: 'odd', client_timestamp }]);
      expect(answer.status, client_timestamp).toBe(400);
      expect(answer.json.errors[0].field).toBe('quiz_submission_events[1].client_timestamp');
      expect((await api.get(path)).status).toBe(404);
    }
  });
});

describe('leap seconds', () => {
  it('reads :60 as the last millisecond of its minute, between :59 and the next minute, each form its own event', async () => {
    const events = [
      { event_type: 'next-minute', client_timestamp: '2017-01-01T00:00:00.000Z' },
      { event_type: 'leap', client_timestamp: '2016-12-31T23:59:60Z' },
      { event_type: 'leap-and-a-half', client_timestamp: '2016-12-31T23:59:60.5Z' },
      { event_type: 'before', client_timestamp: '2016-12-31T23:59:59.998Z' },
    ];
    const stored = await postAndResend(fresh(), events);
    expect(stored.map((event) => event.event_type)).toEqual(['before', expect.stringMatching(/^leap/), expect.stringMatching(/^leap/), 'next-minute']);
    expect(stored.filter((event) => event.event_type.startsWith('leap')).map((event) => event.created_at)).toEqual([
      '2016-12-31T23:59:59.999Z',
      '2016-12-31T23:59:59.999Z',
    ]);
  });
});

describe('offsets other than Z', () => {
  it('stores created_at in UTC and client_timestamp as sent, and resends once', async () => {
    const forms = [
      ['2014-10-09T01:00:00.123+05:30', '2014-10-08T19:30:00.123Z'],
      ['2014-10-08T11:30:00.124-08:00', '2014-10-08T19:30:00.124Z'],
      ['2014-10-08T19:30:00.125+0000', '2014-10-08T19:30:00.125Z'],
      ['2014-10-09T09:30:00.126+14:00', '2014-10-08T19:30:00.126Z'],
      ['2014-10-08T07:30:00.127-12:00', '2014-10-08T19:30:00.127Z'],
      ['2014-10-08t19:30:00.128z', '2014-10-08T19:30:00.128Z'],
      ['2014-10-08T20:30:00,129+01', '2014-10-08T19:30:00.129Z'],
    ];
    const stored = await postAndResend(fresh(), forms.map(([client_timestamp]) => ({ event_type: 't', client_timestamp })));
    expect(stored.map((event) => [event.client_timestamp, event.created_at])).toEqual(forms);
  });

  it('documents a known limit: the same instant written with two offsets is two events', async () => {
    const stored = await postAndResend(fresh(), [
      { event_type: 't', client_timestamp: '2014-10-08T19:30:00.000Z' },
      { event_type: 't', client_timestamp: '2014-10-08T21:30:00.000+02:00' },
    ]);
    expect(stored).toHaveLength(2);
    expect(new Set(stored.map((event) => event.created_at))).toEqual(new Set(['2014-10-08T19:30:00.000Z']));
  });
});

describe('client clocks that go backwards between batches', () => {
  it('stores every batch once and reads them in created_at order, not the order they were sent', async () => {
    // Arrange: a client whose clock is set back an hour, then forward again, between batches;
    // the network loses some answers, so batches are resent whole.
    const path = fresh();
    const client = new QuizClient({
      name: 'backwards',
      random: seededRandom(11),
      clockMs: Date.parse('2014-10-08T10:00:00.000Z'),
      lostAnswerRate: 0.3,
      send: sendThrough(api, path),
    });
    for (const clock of ['2014-10-08T10:00:00.000Z', '2014-10-08T09:00:00.000Z', '2014-10-08T10:00:05.000Z', '2014-10-08T08:00:00.000Z']) {
      client.setClock(Date.parse(clock));
      client.record(10);
      // Act
      await client.flush();
      serverNow += 15_000;
    }
    await client.drain(10);
    // Assert
    const stored = await readThrough(api, path, 'per_page=7');
    expect(reconcile(client.generated, stored)).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
    const createdAt = stored.map((event) => event.created_at);
    expect(createdAt).toEqual([...createdAt].sort());
    // The last batch, from the earliest clock, reads first.
    expect(stored.slice(0, 10).map((event) => event.client_timestamp)).toEqual(client.generated.slice(30).map((event) => event.client_timestamp));
  });
});
