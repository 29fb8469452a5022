import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '#local/server.ts';
import { batchFields, curlMultipartBody, type FormEvent, urlencodedBody } from '../support/form-bodies.ts';
import { eventsPath, submission } from '../support/http-events.ts';
import { authorizeBySubjectHeader, rawRequest, readAllEvents } from '../support/local-http.ts';

let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer({ port: 0, authorize: authorizeBySubjectHeader });
});
afterAll(() => server.close());

const batch: FormEvent[] = [
  { event_type: 'question_flagged', client_timestamp: '2014-10-08T19:29:58.123Z', event_data: { questionId: '1', flagged: 'true' } },
  { event_type: 'page_blurred', client_timestamp: '2014-10-08T19:30:01.000Z', event_data: '' },
];
const json = JSON.stringify({ quiz_submission_events: batch });

const withoutReceipt = (events: { received_at: string }[]) => events.map(({ received_at: _, ...event }) => event);

const curlInstalled = await promisify(execFile)('curl', ['--version']).then(
  () => true,
  () => false,
);

describe('form bodies through the local server', () => {
  it('stores a batch posted as curl -F sends it, read back as the same batch posted as JSON', async () => {
    // Arrange
    const [fromCurl, fromJson] = [submission('form-http-1'), submission('form-http-2')];
    const { body, contentType } = curlMultipartBody(batchFields(batch));

    // Act
    const posted = await rawRequest(server.url, { method: 'POST', target: eventsPath(fromCurl), headers: { 'content-type': contentType }, body });
    await rawRequest(server.url, { method: 'POST', target: eventsPath(fromJson), headers: { 'content-type': 'application/json' }, body: json });

    // Assert
    expect(posted).toEqual({ status: 204, body: '' });
    const events = await readAllEvents(server.url, fromCurl);
    expect(events.map((event) => event.event_data)).toEqual([{ questionId: '1', flagged: 'true' }, '']);
    expect(withoutReceipt(events)).toEqual(withoutReceipt(await readAllEvents(server.url, fromJson)));
  });

  it('stores a urlencoded batch, which the gateway passes as text', async () => {
    const path = submission('form-http-3');
    const posted = await rawRequest(server.url, {
      method: 'POST',
      target: eventsPath(path),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: urlencodedBody(batchFields(batch)),
    });
    expect(posted.status).toBe(204);
    expect(await readAllEvents(server.url, path)).toHaveLength(2);
  });

  it('reads a body sent without a Content-Type as JSON', async () => {
    const posted = await rawRequest(server.url, { method: 'POST', target: eventsPath(submission('form-http-4')), body: json });
    expect(posted.status).toBe(204);
  });

  it.runIf(curlInstalled)('stores what the curl command itself sends with -F and with --data-urlencode', async () => {
    const run = promisify(execFile);
    const url = (id: string) => `${server.url}${eventsPath(submission(id))}`;
    const fields = batchFields(batch).map(([name, value]) => `${name}=${value}`);
    await run('curl', ['-sf', ...fields.flatMap((field) => ['-F', field]), url('form-http-5')]);
    await run('curl', ['-sf', ...fields.flatMap((field) => ['--data-urlencode', field]), url('form-http-6')]);
    await run('curl', ['-sf', '-H', 'content-type: application/json', '-d', json, url('form-http-7')]);
    const expected = withoutReceipt(await readAllEvents(server.url, submission('form-http-7')));
    expect(withoutReceipt(await readAllEvents(server.url, submission('form-http-5')))).toEqual(expected);
    expect(withoutReceipt(await readAllEvents(server.url, submission('form-http-6')))).toEqual(expected);
  });
});
