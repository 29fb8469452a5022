/**
 * Talking to the local server over HTTP. Free of the function modules: a test that starts the local
 * server must not import them before the server sets their environment.
 */
import http from 'node:http';
import type { Authorize } from '#local/server.ts';
import { parseLinks, type ReturnedEvent } from './api-shapes.ts';
import { checkAnswer, isStub, lowerCaseHeaders, routeOfRequest } from './openapi-answers.ts';
import { eventsPath, type SubmissionPath } from './http-events.ts';
import type { PostOutcome } from './quiz-client.ts';

/** The header a test names its caller with, in place of a token. */
export const SUBJECT_HEADER = 'x-test-subject';

/** Lets every request through as the subject its test header names (default student-1), reaching every course, without a token. */
export const authorizeBySubjectHeader: Authorize = async (_route, headers) => ({
  jwt: { claims: { sub: String(headers[SUBJECT_HEADER] ?? 'student-1'), course_ids: '*' }, scopes: [] },
});

export interface Caller {
  subject?: string;
  /** Sent as `Authorization: Bearer …` when given. */
  token?: string;
}

const callerHeaders = ({ subject, token }: Caller = {}): Record<string, string> => ({
  ...(subject !== undefined && { [SUBJECT_HEADER]: subject }),
  ...(token !== undefined && { authorization: `Bearer ${token}` }),
});

/** POSTs a batch body; a dropped connection or an aborted request is an outcome, not an exception. */
export async function postBatch(
  serverUrl: string,
  path: SubmissionPath,
  body: string,
  options: Caller & { query?: string; signal?: AbortSignal } = {},
): Promise<PostOutcome> {
  const url = `${serverUrl}${eventsPath(path)}${options.query ? `?${options.query}` : ''}`;
  try {
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...callerHeaders(options) },
      body,
      ...(options.signal && { signal: options.signal }),
    });
    await answer.arrayBuffer();
    return { status: answer.status, retryAfter: answer.headers.get('retry-after') ?? undefined };
  } catch {
    return { status: 'no-answer' };
  }
}

/** Every event of an attempt, following rel="next" from the first page; throws on any other answer than 200. */
export async function readAllEvents(
  serverUrl: string,
  path: SubmissionPath,
  options: Caller & { query?: string; maxPages?: number } = {},
): Promise<ReturnedEvent[]> {
  const events: ReturnedEvent[] = [];
  let next: string | undefined = `${serverUrl}${eventsPath(path)}?${options.query ?? 'per_page=100'}`;
  for (let pages = 0; next !== undefined; pages++) {
    if (pages >= (options.maxPages ?? 10_000)) throw new Error(`more than ${options.maxPages} pages`);
    const page: Response = await fetch(next, { headers: callerHeaders(options) });
    if (page.status !== 200) throw new Error(`GET ${next}: ${page.status} ${await page.text()}`);
    events.push(...((await page.json()) as { quiz_submission_events: ReturnedEvent[] }).quiz_submission_events);
    next = parseLinks(page.headers.get('link') ?? undefined).next;
  }
  return events;
}

/** Every byte of an id percent-encoded, so that any text (NUL, '/', '#', lone surrogates) reaches the path as such. */
export const percentEncoded = (id: string): string => [...Buffer.from(id)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

export interface RawRequest {
  method: string;
  /** The request target exactly as sent, e.g. '/api/v1/…/events?attempt=1'. */
  target: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
}

/**
 * One request through node:http, which (unlike fetch) sends any method, header or body as given.
 * Resolves with the status, or 'no-answer' when the connection ended without one. The answer is
 * checked against docs/openapi.json like every fetched one.
 */
export function rawRequest(serverUrl: string, { method, target, headers = {}, body }: RawRequest): Promise<{ status: number | 'no-answer'; body: string }> {
  const { hostname, port } = new URL(serverUrl);
  return new Promise((resolve) => {
    const request = http.request({ host: hostname, port, method, path: target, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const answer = { status: response.statusCode ?? 'no-answer', body: Buffer.concat(chunks).toString() } as const;
        if (typeof answer.status === 'number' && !isStub(serverUrl)) {
          const route = routeOfRequest(method, target.split('?', 1)[0]!);
          checkAnswer(route, `${method} ${target.slice(0, 200)}`, { status: answer.status, headers: lowerCaseHeaders(response.headers), body: answer.body });
        }
        resolve(answer);
      });
      response.on('error', () => resolve({ status: 'no-answer', body: '' }));
    });
    request.on('error', () => resolve({ status: 'no-answer', body: '' }));
    request.end(body);
  });
}
