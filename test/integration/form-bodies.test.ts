import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '#lib/domain/limits.ts';
import { type Answer, type ReturnedEvent, useHandlersOnTestStore } from '../support/handlers.ts';
import { batchFields, CURL_BOUNDARY, curlMultipartBody, type Field, type FormEvent, multipartPart, urlencodedBody } from '../support/form-bodies.ts';
import type { SubmissionPath } from '../support/http-events.ts';

const harness = useHandlersOnTestStore('form');
const { fresh } = harness;

const URLENCODED = { 'content-type': 'application/x-www-form-urlencoded' };

/** A batch whose values are all strings, as a form carries them. */
const batch: FormEvent[] = [
  { event_type: 'session_started', client_timestamp: '2014-10-08T19:00:00.000Z' },
  { event_type: 'question_viewed', client_timestamp: '2014-10-08T19:00:05.000Z', event_data: ['1', '2'] },
  { event_type: 'question_flagged', client_timestamp: '2014-10-08T19:00:09.500+02:00', event_data: { questionId: '1', flagged: 'true' } },
  { event_type: 'question_answered', client_timestamp: '2014-10-08T19:01:00Z', event_data: { quiz_question_id: '2', answer: 'forty two & more; 100% sure' } },
  { event_type: 'page_blurred', client_timestamp: '2014-10-08T19:02:00.000Z', event_data: '' },
];

const postJson = (path: SubmissionPath, body: unknown) => harness.api.postRaw(path, { body: JSON.stringify(body) });
const postUrlencoded = (path: SubmissionPath, fields: readonly Field[], query?: string) =>
  harness.api.postRaw(path, { body: urlencodedBody(fields), headers: URLENCODED, ...(query && { query }) });
/** As API Gateway passes a multipart body: base64-encoded. */
const postMultipart = (path: SubmissionPath, fields: readonly Field[]) => {
  const { body, contentType } = curlMultipartBody(fields);
  return harness.api.postRaw(path, { body: body.toString('base64'), isBase64Encoded: true, headers: { 'content-type': contentType } });
};

/** An attempt's events as GET returns them, without the receipt time, which differs between posts. */
async function readBack(path: SubmissionPath): Promise<Omit<ReturnedEvent, 'received_at'>[]> {
  const { pages } = await harness.api.walk(path, 'per_page=100');
  return pages.flat().map(({ received_at: _, ...event }) => event);
}

function expectRefusedAndNothingStored(answer: Answer, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.json.errors[0].message).toEqual(expect.any(String));
  expect(harness.db.calls).toEqual([]);
}

describe('form bodies', () => {
  it('store the same batch as JSON, urlencoded and multipart, and it reads back identically', async () => {
    // Arrange
    const [asJson, asUrlencoded, asIndexed, asMultipart] = [fresh(), fresh(), fresh(), fresh()];

    // Act
    const posted = [
      await postJson(asJson, { quiz_submission_events: batch }),
      await postUrlencoded(asUrlencoded, batchFields(batch)),
      await postUrlencoded(asIndexed, batchFields(batch, { indexed: true })),
      await postMultipart(asMultipart, batchFields(batch)),
    ];

    // Assert
    expect(posted.map((answer) => answer.status)).toEqual([204, 204, 204, 204]);
    const fromJson = await readBack(asJson);
    expect(fromJson).toHaveLength(batch.length);
    expect(fromJson.find((event) => event.event_type === 'question_flagged')).toMatchObject({ event_type: 'question_flagged', event_data: { questionId: '1', flagged: 'true' }, client_timestamp: '2014-10-08T19:00:09.500+02:00' });
    expect(await readBack(asUrlencoded)).toEqual(fromJson);
    expect(await readBack(asIndexed)).toEqual(fromJson);
    expect(await readBack(asMultipart)).toEqual(fromJson);
  });

  it('read a form whether the gateway passes it as text or base64-encoded', async () => {
    const [urlencodedAsBase64, multipartAsText] = [fresh(), fresh()];
    const { body, contentType } = curlMultipartBody(batchFields(batch));
    const posted = [
      await harness.api.postRaw(urlencodedAsBase64, { body: Buffer.from(urlencodedBody(batchFields(batch))).toString('base64'), isBase64Encoded: true, headers: URLENCODED }),
      await harness.api.postRaw(multipartAsText, { body: body.toString(), headers: { 'content-type': contentType } }),
    ];
    expect(posted.map((answer) => answer.status)).toEqual([204, 204]);
    expect(await readBack(urlencodedAsBase64)).toHaveLength(batch.length);
    expect(await readBack(multipartAsText)).toEqual(await readBack(urlencodedAsBase64));
  });

  it('store a flag sent as text as the string "true", as Canvas does', async () => {
    const path = fresh();
    await postUrlencoded(path, [['quiz_submission_events[][event_type]', 'question_flagged'], ['quiz_submission_events[][event_data][flagged]', 'true']]);
    expect((await readBack(path))[0]!.event_data).toEqual({ flagged: 'true' });
  });

  it('take the attempt from a form field, or from the query string', async () => {
    const path = fresh();
    expect((await postUrlencoded(path, batchFields(batch.slice(3, 4), { extra: { attempt: '1' } }))).status).toBe(204);
    expect((await postUrlencoded(path, batchFields(batch.slice(0, 1), { extra: { attempt: '2' } }))).status).toBe(204);
    expect((await postMultipart(path, batchFields(batch.slice(1, 2), { extra: { attempt: '2' } }))).status).toBe(204);
    expect((await postUrlencoded(path, batchFields(batch.slice(2, 3)), 'attempt=2')).status).toBe(204);
    expect((await readBack(path)).map((event) => event.attempt)).toEqual([2, 2, 2]);
    expect((await harness.api.get(path, 'attempt=1')).json.quiz_submission_events).toHaveLength(1);
  });

  it('refuse an attempt field that is not a positive integer, storing nothing', async () => {
    const answer = await postUrlencoded(fresh(), batchFields(batch, { extra: { attempt: 'two' } }));
    expectRefusedAndNothingStored(answer, 400);
    expect(answer.json.errors[0].field).toBe('attempt');
  });

  it('answer 204 to quiz_submission_events[] alone, an empty batch, writing nothing', async () => {
    const answer = await harness.api.postRaw(fresh(), { body: 'quiz_submission_events[]', headers: URLENCODED });
    expect(answer.status).toBe(204);
    expect(harness.db.calls).toEqual(['GetItem']);
  });

  it.each([
    ['urlencoded', postUrlencoded],
    ['multipart', postMultipart],
  ])('store nothing of a %s batch with one bad event, and name its index and field', async (_, post) => {
    // Arrange: 50 events, the fourth without an event_type
    const events = Array.from({ length: 50 }, (_, i) => ({ event_type: 'page_blurred', client_timestamp: new Date(Date.UTC(2014, 9, 8, 19, 0, i)).toISOString() }));
    const fields = batchFields(events, { indexed: true }).filter(([name]) => name !== 'quiz_submission_events[3][event_type]');
    const path = fresh();

    // Act
    const answer = await post(path, fields);

    // Assert
    expectRefusedAndNothingStored(answer, 400);
    expect(answer.json.errors[0]).toEqual({
      message: 'quiz_submission_events[3].event_type is required and must be a string',
      field: 'quiz_submission_events[3].event_type',
    });
    expect((await harness.api.get(path)).status).toBe(404);
  });

  it.each<[string, string]>([
    ['a bad client_timestamp', 'quiz_submission_events[][event_type]=t&quiz_submission_events[][client_timestamp]=yesterday'],
    ['1001 events', 'quiz_submission_events[][event_type]=t&'.repeat(1001)],
    ['an invalid %-escape', 'quiz_submission_events[][event_type]=100%'],
    ['a value that is not UTF-8', 'quiz_submission_events[][event_type]=%FF'],
    ['indexed and unindexed events mixed', 'quiz_submission_events[][event_type]=a&quiz_submission_events[1][event_type]=b'],
    ['indices with a gap', 'quiz_submission_events[0][event_type]=a&quiz_submission_events[2][event_type]=b'],
    ['a name nested 10,000 levels', `quiz_submission_events[][event_data]${'[a]'.repeat(10_000)}=1&quiz_submission_events[][event_type]=t`],
    ['an event that is a string', 'quiz_submission_events[]=page_blurred'],
    ['quiz_submission_events as a string', 'quiz_submission_events=page_blurred'],
    ['no quiz_submission_events', 'event_type=page_blurred'],
    ['an empty body', ''],
    ['a JSON body declared as a form', '{"quiz_submission_events":[{"event_type":"t"}]}'],
  ])('refuse a urlencoded body with %s with 400, storing nothing', async (_, body) => {
    expectRefusedAndNothingStored(await harness.api.postRaw(fresh(), { body, headers: URLENCODED }), 400);
  });

  it('refuse a multipart body with a file with 400, storing nothing', async () => {
    const body = Buffer.from(
      multipartPart(['Content-Disposition: form-data; name="quiz_submission_events[][event_type]"'], 't') +
        multipartPart(['Content-Disposition: form-data; name="quiz_submission_events[][event_data]"; filename="a.bin"'], '\u0000\u0001') +
        `--${CURL_BOUNDARY}--\r\n`,
    );
    const answer = await harness.api.postRaw(fresh(), {
      body: body.toString('base64'),
      isBase64Encoded: true,
      headers: { 'content-type': `multipart/form-data; boundary=${CURL_BOUNDARY}` },
    });
    expectRefusedAndNothingStored(answer, 400);
    expect(answer.json.errors[0].message).toMatch(/is a file/);
  });

  it('refuse a multipart body that is not multipart with 400', async () => {
    const answer = await harness.api.postRaw(fresh(), { body: urlencodedBody(batchFields(batch)), headers: { 'content-type': 'multipart/form-data; boundary=x' } });
    expectRefusedAndNothingStored(answer, 400);
  });

  it.each([
    ['urlencoded', (size: number) => ({ body: `quiz_submission_events[][event_type]=t&quiz_submission_events[][event_data]=${'x'.repeat(size)}`, headers: URLENCODED })],
    ['multipart', (size: number) => {
      const { body, contentType } = curlMultipartBody([['quiz_submission_events[][event_type]', 't'], ['quiz_submission_events[][event_data]', 'x'.repeat(size)]]);
      return { body: body.toString('base64'), isBase64Encoded: true, headers: { 'content-type': contentType } };
    }],
  ])(`answer 413 to a %s body over the size limit`, async (_, request) => {
    expectRefusedAndNothingStored(await harness.api.postRaw(fresh(), request(MAX_BODY_BYTES)), 413);
  });

  it.each(['text/plain', 'application/xml', 'multipart/mixed; boundary=x', 'application/x-www-form-urlencodedx', ''])(
    'refuse the content type %j with 415, listing the accepted ones',
    async (contentType) => {
      const answer = await harness.api.postRaw(fresh(), { body: urlencodedBody(batchFields(batch)), headers: { 'content-type': contentType } });
      expectRefusedAndNothingStored(answer, 415);
      expect(answer.json.errors[0].message).toBe('Content-Type must be application/json, application/x-www-form-urlencoded or multipart/form-data');
    },
  );
});
