import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, MAX_EVENT_DATA_BYTES } from '#lib/domain/limits.ts';
import { handlersOver, useHandlersOnTestStore } from '../support/handlers.ts';
import { batchBody, distinctEvents, submission } from '../support/http-events.ts';

const harness = useHandlersOnTestStore('post');
const { fresh } = harness;

describe('POST events', () => {
  it('answers 204 with an empty body and stores the batch', async () => {
    // Arrange
    const path = fresh();
    // Act
    const posted = await harness.api.post(path, distinctEvents(3));
    // Assert
    expect(posted).toMatchObject({ status: 204, body: '' });
    const read = await harness.api.get(path);
    expect(read.json.quiz_submission_events.map((e: { event_type: string }) => e.event_type)).toEqual([
      'question_viewed',
      'page_blurred',
      'question_viewed',
    ]);
  });

  it('stores a batch resent three times once', async () => {
    const path = fresh();
    const batch = distinctEvents(30);
    for (let i = 0; i < 3; i++) expect((await harness.api.post(path, batch)).status).toBe(204);
    const { pages } = await harness.api.walk(path, 'per_page=100');
    expect(pages.flat()).toHaveLength(30);
  });

  it('keeps both copies of identical events sent in one batch, and a resend still stores them once', async () => {
    const path = fresh();
    const flag = { client_timestamp: '2014-10-08T19:29:58.123Z', event_type: 'question_flagged', event_data: { questionId: '1', flagged: true } };
    await harness.api.post(path, [flag, flag]);
    await harness.api.post(path, [flag, flag]);
    const events = (await harness.api.get(path)).json.quiz_submission_events;
    expect(events).toHaveLength(2);
    expect(new Set(events.map((e: { id: string }) => e.id)).size).toBe(2);
  });

  it('treats event_data that differs only in key order as the same event', async () => {
    const path = fresh();
    const at = '2014-10-08T19:29:58.123Z';
    await harness.api.post(path, [{ client_timestamp: at, event_type: 't', event_data: { a: 1, b: 2 } }]);
    await harness.api.post(path, [{ client_timestamp: at, event_type: 't', event_data: { b: 2, a: 1 } }]);
    expect((await harness.api.get(path)).json.quiz_submission_events).toHaveLength(1);
  });

  it('stores nothing of a batch of 50 when one event is bad, and names its index and field', async () => {
    const path = fresh();
    const batch = distinctEvents(50);
    batch[37] = { ...batch[37], event_type: 42 };
    const posted = await harness.api.post(path, batch);
    expect(posted.status).toBe(400);
    expect(posted.json.errors[0].field).toBe('quiz_submission_events[37].event_type');
    expect(posted.json.errors[0].message).toMatch(/^quiz_submission_events\[37\]\.event_type /);
    expect(harness.db.calls).toEqual([]);
    expect((await harness.api.get(path)).status).toBe(404);
  });

  it.each([
    ['an empty event_type', { event_type: '' }, 'event_type'],
    ['an event_type of 256 characters', { event_type: 'x'.repeat(256) }, 'event_type'],
    ['a timestamp without a zone', { event_type: 't', client_timestamp: '2014-10-08T19:29:58' }, 'client_timestamp'],
    ['an impossible date', { event_type: 't', client_timestamp: '2014-02-30T10:00:00Z' }, 'client_timestamp'],
    ['a numeric timestamp', { event_type: 't', client_timestamp: 1412796598 }, 'client_timestamp'],
    ['a bad created_at', { event_type: 't', created_at: 'yesterday' }, 'created_at'],
    ['event_data over 64 KiB', { event_type: 't', event_data: 'x'.repeat(MAX_EVENT_DATA_BYTES) }, 'event_data'],
  ])('refuses %s with 400 naming the field', async (_, event, field) => {
    const path = fresh();
    const posted = await harness.api.post(path, [distinctEvents(1)[0]!, event]);
    expect(posted.status).toBe(400);
    expect(posted.json.errors[0].field).toBe(`quiz_submission_events[1].${field}`);
    expect(harness.db.calls).toEqual([]);
  });

  it('refuses an event that is not an object', async () => {
    const posted = await harness.api.post(fresh(), ['page_blurred' as never]);
    expect(posted.status).toBe(400);
    expect(posted.json.errors[0].field).toBe('quiz_submission_events[0]');
  });

  it.each([
    ['a body that is not JSON', '{"quiz_submission_events": [', 400],
    ['a missing quiz_submission_events', '{}', 400],
    ['quiz_submission_events that is not an array', '{"quiz_submission_events": {}}', 400],
    ['a JSON array body', '[]', 400],
    ['an empty body', '', 400],
    ['1001 events', batchBody(distinctEvents(1001)), 400],
  ])('refuses %s', async (_, body, status) => {
    const posted = await harness.api.postRaw(fresh(), { body });
    expect(posted.status).toBe(status);
    expect(posted.json.errors[0].message).toEqual(expect.any(String));
    expect(harness.db.calls).toEqual([]);
  });

  it('answers 204 to an empty batch after one read, writing nothing', async () => {
    const path = fresh();
    expect((await harness.api.post(path, [])).status).toBe(204);
    expect(harness.db.calls).toEqual(['GetItem']);
    expect((await harness.api.get(path)).status).toBe(404);
  });

  it('answers 413 to a body over 1 MiB', async () => {
    const body = batchBody([{ event_type: 't', event_data: 'x'.repeat(MAX_BODY_BYTES) }]);
    const posted = await harness.api.postRaw(fresh(), { body });
    expect(posted.status).toBe(413);
  });

  it('answers 415 to a body declared as something other than JSON or a form', async () => {
    const posted = await harness.api.postRaw(fresh(), {
      body: 'quiz_submission_events[][event_type]=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(posted.status).toBe(415);
  });

  it('accepts application/json with a charset, as the Canvas quiz client sends it', async () => {
    const posted = await harness.api.post(fresh(), distinctEvents(1), { headers: { 'content-type': 'application/json; charset=UTF-8' } });
    expect(posted.status).toBe(204);
  });

  it('refuses a base64 body that is not UTF-8', async () => {
    const posted = await harness.api.postRaw(fresh(), { body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'), isBase64Encoded: true });
    expect(posted.status).toBe(400);
    expect(posted.json.errors[0].message).toMatch(/UTF-8/);
  });

  it.each(['a#b', 'a/b', 'a\u0000b', 'é', 'x'.repeat(129), ''])('refuses the path id %j with 400', async (id) => {
    const posted = await harness.api.post(submission(id), distinctEvents(1));
    expect(posted.status).toBe(400);
    expect(harness.db.calls).toEqual([]);
  });

  it('accepts SIS-style ids', async () => {
    const path = submission('sis_user_id:abc-1.2~x', 'sis_course_id:C-101', 'q_7');
    expect((await harness.api.post(path, distinctEvents(1))).status).toBe(204);
    expect((await harness.api.get(path)).status).toBe(200);
  });

  it('returns a JSON body with a stack-free message for an unexpected failure', async () => {
    const broken = handlersOver({ ...harness.db.store, claimSubmission: async () => { throw new Error('secret internals'); } });
    const posted = await broken.post(fresh(), distinctEvents(1));
    expect(posted.status).toBe(500);
    expect(posted.json).toEqual({ errors: [{ message: 'An error occurred.', error_code: 'internal_server_error' }] });
  });
});

describe('attempts', () => {
  it('writes to attempt 1 of a new submission and to the current attempt afterwards', async () => {
    const path = fresh();
    await harness.api.post(path, distinctEvents(1));
    const read = await harness.api.get(path);
    expect(read.json.quiz_submission_events[0].attempt).toBe(1);
  });

  it('makes the next attempt the current one, from the query or the body', async () => {
    const path = fresh();
    await harness.api.post(path, distinctEvents(1));
    await harness.api.post(path, distinctEvents(1), { query: 'attempt=2' });
    await harness.api.post(path, distinctEvents(2), { extra: { attempt: 3 } });
    await harness.api.post(path, distinctEvents(3));
    const latest = (await harness.api.get(path)).json.quiz_submission_events;
    expect(latest.map((e: { attempt: number }) => e.attempt)).toEqual([3, 3, 3]);
    expect((await harness.api.get(path, 'attempt=2')).json.quiz_submission_events).toHaveLength(1);
  });

  it('keeps late events of an older attempt in that attempt without lowering the current one', async () => {
    const path = fresh();
    await harness.api.post(path, distinctEvents(1), { query: 'attempt=1' });
    await harness.api.post(path, distinctEvents(1), { query: 'attempt=2' });
    await harness.api.post(path, distinctEvents(3, Date.parse('2014-10-08T20:00:00Z')), { query: 'attempt=1' });
    expect((await harness.api.get(path)).json.quiz_submission_events[0].attempt).toBe(2);
    expect((await harness.api.get(path, 'attempt=1')).json.quiz_submission_events).toHaveLength(4);
  });

  it.each(['attempt=0', 'attempt=-1', 'attempt=abc', 'attempt=1.5', 'attempt=1e400', 'attempt=', 'attempt=1&attempt=2'])(
    'refuses %s with 400',
    async (query) => {
      const posted = await harness.api.post(fresh(), distinctEvents(1), { query });
      expect(posted.status).toBe(400);
      expect(posted.json.errors[0].field).toBe('attempt');
    },
  );

  it('refuses an attempt in the body that differs from the query', async () => {
    const posted = await harness.api.post(fresh(), distinctEvents(1), { query: 'attempt=2', extra: { attempt: 3 } });
    expect(posted.status).toBe(400);
    expect(harness.db.calls).toEqual([]);
  });
});

describe('ownership', () => {
  it('refuses a second subject with 403 and Canvas body, storing nothing', async () => {
    const path = fresh();
    await harness.api.post(path, distinctEvents(1), { subject: 'student-1' });
    const intruder = await harness.api.post(path, distinctEvents(5, Date.parse('2020-01-01T00:00:00Z')), { subject: 'student-2' });
    expect(intruder.status).toBe(403);
    expect(intruder.json).toEqual({ status: 'unauthorized', errors: [{ message: 'user not authorized to perform that action' }] });
    expect((await harness.api.get(path)).json.quiz_submission_events).toHaveLength(1);
  });
});
