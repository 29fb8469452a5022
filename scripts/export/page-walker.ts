import { setTimeout as delay } from 'node:timers/promises';
import { parseJson } from '#lib/domain/json-text.ts';
import { ExitCode, ExportError } from './exit-codes.ts';
import { parseLinkHeader } from '../../web/src/link-header.ts';

/** One page of the API: its JSON body (numbers beyond a double kept exactly) and the next page's URL. */
export interface Page {
  url: string;
  body: unknown;
  next?: string | undefined;
}

/** Why the walker is waiting before it asks again. */
export interface Wait {
  reason: 429 | 502 | 503 | 504 | 'network';
  waitMs: number;
  /** 1 for the first retry of this page. */
  retry: number;
}

export interface WalkOptions {
  token: string;
  fetch?: typeof fetch;
  /** Injectable so tests do not wait. */
  sleep?: (ms: number) => Promise<void>;
  onWait?: (wait: Wait) => void;
  /** Retries of one page while the server says it is busy (429, 503) or the gateway failed (502, 504). */
  busyRetries?: number;
  /** Retries of one page after a network failure or a request timeout. */
  networkRetries?: number;
  requestTimeoutMs?: number;
}

/** A server asking for longer than this is waited on for this long, then asked again. */
export const MAX_RETRY_AFTER_MS = 60_000;
const BACKOFF_START_MS = 1000;
const BACKOFF_MAX_MS = 30_000;

const backoffMs = (retry: number) => Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** (retry - 1));

/** Retry-After in seconds or as an HTTP date; absent or unreadable: undefined. */
export function retryAfterMs(header: string | null, nowMs = Date.now()): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  // An HTTP date names its weekday and month; Date.parse alone would also take "-1" or "1.5" as dates.
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : /GMT$/.test(text) ? Date.parse(text) - nowMs : Number.NaN;
  return Number.isNaN(ms) ? undefined : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

/**
 * Every page from `startUrl` on, following Link rel="next" until there is none. Waits as the server
 * asks on 429 and 503 and retries network failures a few times; any other failure ends the walk
 * with an ExportError saying what it means.
 */
export async function* walkPages(startUrl: string, options: WalkOptions): AsyncGenerator<Page> {
  const origin = new URL(startUrl).origin;
  let url: string | undefined = startUrl;
  while (url !== undefined) {
    const page = await fetchPage(url, options);
    if (page.next !== undefined) {
      // The token goes with every request: never to a server other than the one it was given for.
      if (new URL(page.next).origin !== origin) {
        throw new ExportError(`the server linked the next page to another origin (${new URL(page.next).origin}); not following it with the token`, ExitCode.failed);
      }
      if (page.next === url) throw new ExportError(`the server linked a page to itself as the next one: ${url}`, ExitCode.failed);
    }
    yield page;
    url = page.next;
  }
}

/** One page, with the retries of WalkOptions. */
async function fetchPage(url: string, options: WalkOptions): Promise<Page> {
  const { fetch: fetchImpl = fetch, sleep = (ms: number) => delay(ms), busyRetries = 8, networkRetries = 4, requestTimeoutMs = 60_000 } = options;
  for (let busy = 0, network = 0; ; ) {
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(url, {
        headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      text = await response.text();
    } catch (error) {
      if (++network > networkRetries) throw new ExportError(`no answer from ${new URL(url).origin} after ${networkRetries + 1} tries: ${describeNetworkError(error)}`, ExitCode.failed);
      await wait({ reason: 'network', waitMs: backoffMs(network), retry: network }, sleep, options.onWait);
      continue;
    }

    const { status } = response;
    if (status === 200) {
      return { url, body: parseBody(url, text), next: parseLinkHeader(response.headers.get('link'), url).get('next') };
    }
    if (status === 429 || status === 502 || status === 503 || status === 504) {
      if (++busy > busyRetries) throw new ExportError(`${status} ${statusText(status)} from ${pathOf(url)} after ${busyRetries + 1} tries; try again later`, ExitCode.failed);
      const asked = status === 429 || status === 503 ? retryAfterMs(response.headers.get('retry-after')) : undefined;
      await wait({ reason: status, waitMs: asked ?? backoffMs(busy), retry: busy }, sleep, options.onWait);
      continue;
    }
    throw statusError(status, url, serverMessage(text));
  }
}

async function wait(what: Wait, sleep: (ms: number) => Promise<void>, onWait?: (wait: Wait) => void): Promise<void> {
  onWait?.(what);
  await sleep(what.waitMs);
}

function parseBody(url: string, text: string): unknown {
  try {
    return parseJson(text);
  } catch {
    throw new ExportError(`${pathOf(url)} answered 200 with a body that is not JSON; is --api the quiz events service?`, ExitCode.failed);
  }
}

/** What an error status means for someone running the export, in one line. */
function statusError(status: number, url: string, said: string | undefined): ExportError {
  const server = said === undefined ? '' : ` (server: ${said})`;
  switch (status) {
    case 400:
      return new ExportError(`400 Bad Request: the server refused the request${server}; check the options`, ExitCode.usage);
    case 401:
      return new ExportError(`401 Unauthorized: the token was not accepted (missing, expired, or for another service); get a new token and run the command again`, ExitCode.unauthorized);
    case 403:
      return new ExportError(
        `403 Forbidden: the token may not read ${pathOf(url)}: it lacks the read scope of this route, or it grants other courses than this one${server}; ask for a token with read access to the course`,
        ExitCode.forbidden,
      );
    case 404:
      return new ExportError(
        `404 Not Found: ${pathOf(url)}${server}; check --api (the service's base URL, without /api/v1) and the course and quiz ids`,
        ExitCode.notFound,
      );
    default:
      return new ExportError(`${status} ${statusText(status)} from ${pathOf(url)}${server}`, ExitCode.failed);
  }
}

/** The message of a Canvas error body (`{"errors":[{"message":…}]}`) or a gateway's (`{"message":…}`). */
function serverMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { errors?: { message?: unknown }[]; message?: unknown };
    const message = body.errors?.[0]?.message ?? body.message;
    return typeof message === 'string' ? message.slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}

const STATUS_TEXT: Record<number, string> = { 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
const statusText = (status: number) => STATUS_TEXT[status] ?? 'answer';

/** A URL without its query, for messages. */
const pathOf = (url: string) => {
  const { origin, pathname } = new URL(url);
  return `${origin}${pathname}`;
};

function describeNetworkError(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'the request timed out';
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
