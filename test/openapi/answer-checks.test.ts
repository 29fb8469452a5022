import { describe, expect, it } from 'vitest';
import { type ReceivedAnswer, violationsOf } from '../support/openapi-validator.ts';

/**
 * The check every answer of the suite goes through (test/support/openapi-answers.ts): it must refuse
 * what the document does not allow, or the suite's "zero violations" would mean nothing.
 */

const SECURITY = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
const LINK =
  '<https://events.example.com/api/v1/courses/1/quizzes/2/submissions/3/events?page=1&per_page=10>; rel="current",' +
  '<https://events.example.com/api/v1/courses/1/quizzes/2/submissions/3/events?page=1&per_page=10>; rel="first"';
const EVENT = {
  id: 'xdbh7q5Fr0Qki2x-',
  event_type: 'page_blurred',
  event_data: null,
  created_at: '2014-10-08T19:29:58.123Z',
  client_timestamp: '2014-10-08T19:29:58.123Z',
  received_at: '2014-10-08T19:30:12.410Z',
  attempt: 1,
};

const page = (events: unknown[], headers: Record<string, string> = {}): ReceivedAnswer => ({
  status: 200,
  headers: { ...JSON_TYPE, ...SECURITY, link: LINK, ...headers },
  body: JSON.stringify({ quiz_submission_events: events }),
});

describe('the check of an answer against the OpenAPI document', () => {
  it('passes an events page as the functions write it', () => {
    expect(violationsOf('getEvents', page([EVENT]))).toEqual([]);
  });

  it('refuses an event with a key more or less, or a time without milliseconds', () => {
    const { attempt: _attempt, ...withoutAttempt } = EVENT;
    expect(violationsOf('getEvents', page([{ ...EVENT, extra: 1 }]))).toEqual([expect.stringMatching(/must NOT have additional properties/)]);
    expect(violationsOf('getEvents', page([withoutAttempt]))).toEqual([expect.stringMatching(/must have required property 'attempt'/)]);
    expect(violationsOf('getEvents', page([{ ...EVENT, created_at: '2014-10-08T19:29:58Z' }]))).toEqual([expect.stringMatching(/created_at must match pattern/)]);
  });

  it('refuses a quiz feed event without its submission id', () => {
    expect(violationsOf('getQuizEvents', page([EVENT]))).toEqual([expect.stringMatching(/submission_id/)]);
  });

  it('refuses a page without its Link header, or a Link header out of Canvas order', () => {
    const { link: _link, ...withoutLink } = page([]).headers;
    expect(violationsOf('getEvents', { ...page([]), headers: withoutLink })).toEqual(['the Link header is missing']);
    const reordered = LINK.split(',').reverse().join(',');
    expect(violationsOf('getEvents', page([], { link: reordered }))).toEqual([expect.stringMatching(/^Link: .*must match pattern/)]);
  });

  it('refuses a status the operation does not document, a 204 with a body and a body of another type', () => {
    expect(violationsOf('getQuizEvents', { status: 404, headers: { ...JSON_TYPE, ...SECURITY }, body: '{"errors":[{"message":"The specified resource does not exist."}]}' })).toEqual([
      '404 is not a documented answer of getQuizEvents',
    ]);
    expect(violationsOf('postEvents', { status: 204, headers: { ...SECURITY, ...JSON_TYPE }, body: '{}' })).toEqual([expect.stringMatching(/a body .* where the document has none/)]);
    expect(violationsOf('getEvents', { ...page([]), headers: { ...page([]).headers, 'content-type': 'text/plain' } })).toEqual([expect.stringMatching(/content type text\/plain/)]);
  });

  it("takes the gateway's and the function's 403, each with its own body, and refuses a mix", () => {
    const gateway = { status: 403, headers: { 'content-type': 'application/json' }, body: '{"message":"Forbidden"}' };
    const canvas = { status: 403, headers: { ...JSON_TYPE, ...SECURITY }, body: '{"status":"unauthorized","errors":[{"message":"user not authorized to perform that action"}]}' };
    expect(violationsOf('postEvents', gateway)).toEqual([]);
    expect(violationsOf('getEvents', canvas)).toEqual([]);
    expect(violationsOf('getEvents', { ...gateway, body: '{"message":"Forbidden","status":"unauthorized"}' })).not.toEqual([]);
  });

  it('requires the security headers on a function-only answer and Retry-After on a 503', () => {
    const busy = { status: 503, headers: { ...JSON_TYPE, ...SECURITY, 'retry-after': '1' }, body: '{"errors":[{"message":"The event store is busy; retry the request."}]}' };
    expect(violationsOf('postEvents', busy)).toEqual([]);
    expect(violationsOf('postEvents', { ...busy, headers: { ...JSON_TYPE, ...SECURITY } })).toEqual(['the Retry-After header is missing']);
    expect(violationsOf('getEvents', { ...busy, headers: { ...JSON_TYPE, 'retry-after': '1' } })).toEqual([
      'the Cache-Control header is missing',
      'the X-Content-Type-Options header is missing',
    ]);
  });

  it("requires the gateway's challenge on a 401", () => {
    const refused = { status: 401, headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' }, body: '{"message":"Unauthorized"}' };
    expect(violationsOf('getQuizSummaries', refused)).toEqual([]);
    expect(violationsOf('getQuizSummaries', { ...refused, headers: { 'content-type': 'application/json' } })).toEqual(['the WWW-Authenticate header is missing']);
  });
});
