import { MAX_PER_PAGE, MAX_SUMMARIES_PER_PAGE } from '#lib/domain/limits.ts';
import type { AttemptSummary, QuizEvent } from './api-types.ts';
import { linkWithRel } from './link-header.ts';

/** An answer other than 200, with what the API said about it. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    /** From `Retry-After` on 429 and 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** The API could not be reached at all (offline, DNS, CORS refused, connection reset). */
export class NetworkError extends Error {
  override name = 'NetworkError';
}

export interface ApiClientOptions {
  /** The API's origin, or '' for the page's own. */
  baseUrl: string;
  token: () => string | undefined;
}

export interface ListOptions {
  /** Stops the walk (and the request under way) when the reader moves on. */
  signal?: AbortSignal;
  /** Told after each page, to show progress. */
  onPage?: (itemsSoFar: number) => void;
}

export type ApiClient = ReturnType<typeof createApiClient>;

export function createApiClient({ baseUrl, token }: ApiClientOptions) {
  const apiOrigin = new URL(baseUrl || '/', location.href).origin;
  const quizPath = (course: string, quiz: string) => `/api/v1/courses/${encodeURIComponent(course)}/quizzes/${encodeURIComponent(quiz)}`;

  async function get(url: string, signal?: AbortSignal): Promise<Response> {
    // The token goes to the API's origin only, whatever a Link header says.
    if (new URL(url).origin !== apiOrigin) throw new NetworkError(`The API sent a link to another site (${new URL(url).origin}); it was not followed.`);
    const bearer = token();
    let response: Response;
    try {
      response = await fetch(url, { headers: { accept: 'application/json', ...(bearer && { authorization: `Bearer ${bearer}` }) }, cache: 'no-store', ...(signal && { signal }) });
    } catch (error) {
      throw new NetworkError((error as Error).message);
    }
    if (!response.ok) throw await toApiError(response);
    return response;
  }

  /** Every item of a paged list: follows rel="next" until the API sends none. */
  async function walk<T>(path: string, query: URLSearchParams, key: string, { signal, onPage }: ListOptions): Promise<T[]> {
    const items: T[] = [];
    let url: string | undefined = new URL(`${path}?${query}`, `${apiOrigin}/`).href;
    while (url) {
      signal?.throwIfAborted();
      const response = await get(url, signal);
      const body = (await response.json()) as Record<string, unknown>;
      const page = body[key];
      if (!Array.isArray(page)) throw new ApiError(response.status, `The API's answer has no ${key} list.`);
      items.push(...(page as T[]));
      onPage?.(items.length);
      url = linkWithRel(response.headers.get('link'), 'next');
    }
    return items;
  }

  return {
    /** One summary per submission: its latest attempt (or every attempt with `attempt: 'all'`). */
    quizSummaries(course: string, quiz: string, options: { attempt?: 'latest' | 'all'; submission?: string } = {}, list: ListOptions = {}) {
      // The largest page each route allows (docs/api.md): fewer round trips for the same data.
      const query = new URLSearchParams({ attempt: options.attempt ?? 'latest', per_page: String(MAX_SUMMARIES_PER_PAGE) });
      if (options.submission) query.append('submission_ids[]', options.submission);
      return walk<AttemptSummary>(`${quizPath(course, quiz)}/submission_events/summary`, query, 'quiz_submission_event_summaries', list);
    },

    /** Every event of one attempt, in created_at order. */
    attemptEvents(course: string, quiz: string, submission: string, attempt: number, list: ListOptions = {}) {
      const query = new URLSearchParams({ attempt: String(attempt), per_page: String(MAX_PER_PAGE) });
      const path = `${quizPath(course, quiz)}/submissions/${encodeURIComponent(submission)}/events`;
      return walk<QuizEvent>(path, query, 'quiz_submission_events', list);
    },
  };
}

async function toApiError(response: Response): Promise<ApiError> {
  let message = response.statusText || `HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { message?: unknown; errors?: { message?: unknown }[] };
    const said = body.errors?.[0]?.message ?? body.message;
    if (typeof said === 'string' && said !== '') message = said;
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  return new ApiError(response.status, message, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
}
