import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSiteHandler } from '../../web/serve.ts';
import { type StoredEvent, summarizeAttempt } from './attempt-summary.ts';
import { notTheApi } from './openapi-answers.ts';
import type { QuizLogSeed } from './quiz-log-seed.ts';

/**
 * A small real HTTP server for the quiz log page's browser tests: the built site at `/` (through the
 * same site handler the local server mounts) and the API's GET routes answered as docs/api.md shapes
 * them — Canvas error bodies, 401/403 as the gateway and the course check answer, Link paging with
 * bookmarks, Retry-After on 503 — from seeded events. The browser tests take any server that
 * answers like this, so they run unchanged against the real local server with the same seed.
 */

export interface QuizLogApi {
  url: string;
  /** May read every course. */
  readToken: string;
  /** A valid token whose course claim does not list the seeded course. */
  otherCourseToken: string;
  /** The next API request (only that one) is answered with this status, as a store under load would. */
  failNextApiRequest(status: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

const TOKENS: Record<string, string[]> = { 'reader-of-every-course': ['*'], 'reader-of-course-77': ['77'] };
const QUIZ = String.raw`/api/v1/courses/([^/]+)/quizzes/([^/]+)`;
const ROUTES = {
  quizSummaries: new RegExp(`^${QUIZ}/submission_events/summary$`),
  events: new RegExp(`^${QUIZ}/submissions/([^/]+)/events$`),
  eventsSummary: new RegExp(`^${QUIZ}/submissions/([^/]+)/events/summary$`),
};
const NOT_FOUND = { errors: [{ message: 'The specified resource does not exist.' }] };

export interface QuizLogApiOptions {
  siteDir: string;
  seed: QuizLogSeed;
  /** Answers some requests before the site and the API do (an identity provider, say); true when it did. */
  alsoServe?: (request: IncomingMessage, response: ServerResponse) => boolean;
}

export async function startQuizLogApi({ siteDir, seed, alsoServe }: QuizLogApiOptions): Promise<QuizLogApi> {
  const store = storeOf(seed);
  const serveSite = createSiteHandler(siteDir);
  let fault: { status: number; retryAfterSeconds?: number | undefined } | undefined;

  const server = createServer((request, response) => {
    if (alsoServe?.(request, response)) return;
    if (!request.url?.startsWith('/api/') && serveSite(request, response)) return;
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
      response.end(JSON.stringify(body));
    };
    const route = Object.entries(ROUTES).find(([, pattern]) => pattern.test(url.pathname));
    if (request.method !== 'GET' || !route) return send(404, { message: 'Not Found' });

    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const courses = token ? TOKENS[token] : undefined;
    if (!courses) return send(401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer' });
    const [, course, quiz, submission] = route[1].exec(url.pathname)!.map(decodeURIComponent);
    if (!courses.includes('*') && !courses.includes(course!)) return send(403, { status: 'unauthorized', errors: [{ message: 'user not authorized to perform that action' }] });
    if (fault) {
      const { status, retryAfterSeconds } = fault;
      fault = undefined;
      return send(status, { errors: [{ message: 'The service is busy; retry shortly.' }] }, retryAfterSeconds ? { 'retry-after': String(retryAfterSeconds) } : {});
    }

    const submissions = store.get(`${course}/${quiz}`) ?? new Map<string, StoredEvent[][]>();
    if (route[0] === 'quizSummaries') {
      const wanted = url.searchParams.getAll('submission_ids[]');
      const ids = [...submissions.keys()].filter((id) => wanted.length === 0 || wanted.includes(id)).sort(byteOrder);
      const page = pageOf(url, ids, 10, 25);
      if (!page) return send(400, { errors: [{ message: 'invalid page', field: 'page' }] });
      const selector = url.searchParams.get('attempt') ?? 'latest';
      const summaries = page.items.flatMap((id) => {
        const attempts = submissions.get(id)!;
        const chosen = selector === 'all' ? attempts.map((_, index) => index + 1) : selector === 'latest' ? [attempts.length] : [Number(selector)].filter((n) => n <= attempts.length);
        return chosen.map((attempt) => summarizeAttempt(id, attempt, attempts[attempt - 1]!));
      });
      return send(200, { quiz_submission_event_summaries: summaries }, { link: page.link });
    }
    const attempts = submissions.get(submission!);
    const attempt = url.searchParams.has('attempt') ? Number(url.searchParams.get('attempt')) : (attempts?.length ?? 0);
    const events = attempts?.[attempt - 1];
    if (!events) return send(404, NOT_FOUND);
    if (route[0] === 'eventsSummary') return send(200, summarizeAttempt(submission!, attempt, events));
    const page = pageOf(url, events, 10, 100);
    if (!page) return send(400, { errors: [{ message: 'invalid page', field: 'page' }] });
    return send(200, { quiz_submission_events: page.items }, { link: page.link });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  notTheApi(url);
  return {
    url,
    readToken: 'reader-of-every-course',
    otherCourseToken: 'reader-of-course-77',
    failNextApiRequest: (status, retryAfterSeconds) => void (fault = { status, retryAfterSeconds }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** course/quiz → submission → attempts (index 0 = attempt 1) → events in created_at order. */
function storeOf(seed: QuizLogSeed): Map<string, Map<string, StoredEvent[][]>> {
  const submissions = new Map<string, StoredEvent[][]>();
  for (const { submission, attempt, events } of seed.attempts) {
    const attempts = submissions.get(submission) ?? [];
    attempts[attempt - 1] = events.map((event, index) => ({
      id: `${submission}-${attempt}-${index}`,
      event_type: event.event_type,
      event_data: event.event_data,
      created_at: new Date(event.client_timestamp).toISOString(),
      client_timestamp: event.client_timestamp,
      received_at: new Date(Date.parse(event.client_timestamp) + 1_500 + (index % 7) * 1_000).toISOString(),
      attempt,
    }));
    submissions.set(submission, attempts);
  }
  return new Map([[`${seed.course}/${seed.quiz}`, submissions]]);
}

/** Canvas paging: per_page clamped, `page=bookmark:…` after the first, Link with current, next, first. */
function pageOf<T>(url: URL, items: readonly T[], perPageDefault: number, perPageMax: number): { items: T[]; link: string } | undefined {
  const asked = Number(url.searchParams.get('per_page') ?? perPageDefault);
  const perPage = Math.min(Math.max(Number.isFinite(asked) ? Math.trunc(asked) : perPageDefault, 1), perPageMax);
  const page = url.searchParams.get('page') ?? '1';
  const offset = page === '1' ? 0 : /^bookmark:(\d+)$/.exec(page) ? Number(page.slice('bookmark:'.length)) : Number.NaN;
  if (!Number.isSafeInteger(offset)) return undefined;
  const kept = new URLSearchParams(url.search);
  for (const name of ['page', 'per_page', 'access_token']) kept.delete(name);
  kept.sort();
  const base = `${url.origin}${url.pathname}?${kept.size > 0 ? `${kept}&` : ''}`;
  const link = (value: string, rel: string) => `<${base}page=${value}&per_page=${perPage}>; rel="${rel}"`;
  const next = offset + perPage < items.length ? `bookmark:${offset + perPage}` : undefined;
  return { items: items.slice(offset, offset + perPage), link: [link(page, 'current'), ...(next ? [link(next, 'next')] : []), link('1', 'first')].join(',') };
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
