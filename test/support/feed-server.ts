import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { notTheApi } from './openapi-answers.ts';

/**
 * A small real HTTP server shaped like the quiz-wide routes of docs/api.md, for testing the export
 * against: the feed and the summaries with Canvas Link headers and bookmark pages, a bearer token,
 * Canvas's error bodies, and scripted trouble (429/503 with Retry-After, dropped connections).
 * Items are kept as the JSON text the API would send, so a test can compare the export with the
 * exact bytes served.
 */

/** An event of the quiz feed, its event_data as the JSON text the API returns. */
export interface FeedEvent {
  id: string;
  event_type: string;
  eventDataJson: string;
  created_at: string;
  client_timestamp: string | null;
  received_at: string;
  submission_id: string;
  attempt: number;
}

/** The feed's JSON text of an event, keys in the documented order. */
export const feedEventJson = (event: FeedEvent): string =>
  `{"id":${JSON.stringify(event.id)},"event_type":${JSON.stringify(event.event_type)},"event_data":${event.eventDataJson},` +
  `"created_at":${JSON.stringify(event.created_at)},"client_timestamp":${JSON.stringify(event.client_timestamp)},` +
  `"received_at":${JSON.stringify(event.received_at)},"submission_id":${JSON.stringify(event.submission_id)},"attempt":${event.attempt}}`;

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface FeedRequest {
  /** Path and query as received. */
  target: string;
  authorization: string | undefined;
}

export interface FeedServerOptions {
  token?: string;
  /** The course the token grants; another answers 403 as the API does. */
  course?: string;
  events?: FeedEvent[];
  /** Summaries as JSON texts. */
  summaries?: string[];
  /**
   * Called for every request, numbered from 0; an answer replaces the normal one, 'drop' closes the
   * connection without an answer.
   */
  script?: (request: FeedRequest, index: number) => ScriptedAnswer | 'drop' | undefined;
  /** Overrides the Link header of normal pages (to test what the export does with odd links). */
  linkHeader?: (links: { current: string; next?: string; first: string }) => string;
}

export interface FeedServer {
  url: string;
  requests: FeedRequest[];
  close(): Promise<void>;
}

const FEED = /^\/api\/v1\/courses\/([^/]+)\/quizzes\/([^/]+)\/submission_events(\/summary)?$/;
const NOT_IN_LINKS = ['page', 'per_page', 'access_token'];

export async function startFeedServer(options: FeedServerOptions = {}): Promise<FeedServer> {
  const { token = 'good-token', course = '1', events = [], summaries = [] } = options;
  const requests: FeedRequest[] = [];
  const eventTexts = events.map(feedEventJson);
  const server = http.createServer((request, response) => {
    const target = request.url ?? '/';
    const recorded = { target, authorization: request.headers.authorization };
    const index = requests.push(recorded) - 1;
    const send = ({ status, headers = {}, body = '' }: ScriptedAnswer) => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
      response.end(body);
    };

    const scripted = options.script?.(recorded, index);
    if (scripted === 'drop') return request.socket.destroy();
    if (scripted) return send(scripted);

    const url = new URL(target, 'http://feed.test');
    const route = FEED.exec(url.pathname);
    if (request.method !== 'GET' || !route) return send({ status: 404, body: '{"message":"Not Found"}' });
    if (request.headers.authorization !== `Bearer ${token}`) {
      return send({ status: 401, headers: { 'www-authenticate': 'Bearer' }, body: '{"message":"Unauthorized"}' });
    }
    if (decodeURIComponent(route[1]!) !== course) {
      return send({ status: 403, body: '{"status":"unauthorized","errors":[{"message":"user not authorized to perform that action"}]}' });
    }

    const isSummary = route[3] !== undefined;
    const items = isSummary ? summaries : eventTexts;
    const maxPerPage = isSummary ? 25 : 100;
    const perPage = Math.min(maxPerPage, Math.max(1, Number(url.searchParams.get('per_page') ?? 10) || 10));
    const page = url.searchParams.get('page') ?? '1';
    const offset = page === '1' ? 0 : Number(Buffer.from(page.replace(/^bookmark:/, ''), 'base64url').toString());
    if (!Number.isInteger(offset) || offset < 0) return send({ status: 400, body: '{"errors":[{"message":"page is not valid","field":"page"}]}' });

    const kept = new URLSearchParams(url.search);
    for (const name of NOT_IN_LINKS) kept.delete(name);
    kept.sort();
    const base = `${serverUrl}${url.pathname}?${kept.size > 0 ? `${kept}&` : ''}`;
    const link = (pageParam: string) => `${base}page=${pageParam}&per_page=${perPage}`;
    const more = offset + perPage < items.length;
    const links = {
      current: link(page),
      ...(more && { next: link(`bookmark:${Buffer.from(String(offset + perPage)).toString('base64url')}`) }),
      first: link('1'),
    };
    const header =
      options.linkHeader?.(links) ??
      [`<${links.current}>; rel="current"`, ...(links.next ? [`<${links.next}>; rel="next"`] : []), `<${links.first}>; rel="first"`].join(',');
    const key = isSummary ? 'quiz_submission_event_summaries' : 'quiz_submission_events';
    send({ status: 200, headers: { link: header }, body: `{"${key}":[${items.slice(offset, offset + perPage).join(',')}]}` });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  notTheApi(serverUrl);
  return {
    url: serverUrl,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
