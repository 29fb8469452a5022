import type { HttpEvent } from '#lib/http/types.ts';
import { gatewayQuery } from '#local/http-api-event.ts';
import { ROUTES, type RouteId, routeKey } from '#lib/routes.ts';

export interface SubmissionPath {
  courseId: string;
  quizId: string;
  submissionId: string;
}

export const submission = (submissionId = '3', courseId = '1', quizId = '2'): SubmissionPath => ({
  courseId,
  quizId,
  submissionId,
});

export const eventsPath = ({ courseId, quizId, submissionId }: SubmissionPath): string =>
  ROUTES.getEvents.path.replace('{course_id}', courseId).replace('{quiz_id}', quizId).replace('{id}', submissionId);

export interface EventOptions {
  query?: string;
  body?: string;
  headers?: Record<string, string>;
  subject?: string;
  /** Over the default claims (the subject, course_ids '*'); undefined leaves a claim out, as the gateway leaves out a null one. */
  claims?: Record<string, string | undefined>;
  isBase64Encoded?: boolean;
}

/** A payload format 2.0 event of the events route, as API Gateway sends it after its JWT authorizer let the request through. */
export const httpEvent = (method: 'GET' | 'POST', path: SubmissionPath, options: EventOptions = {}): HttpEvent =>
  routeEvent(method === 'POST' ? 'postEvents' : 'getEvents', { course_id: path.courseId, quiz_id: path.quizId, id: path.submissionId }, options);

/** The raw path of a route with its parameters filled in. */
export const routePath = (id: RouteId, pathParameters: Record<string, string>): string =>
  ROUTES[id].path.replace(/\{(\w+)\}/g, (_, name: string) => pathParameters[name] ?? '');

/** A payload format 2.0 event of any route, as API Gateway sends it after its JWT authorizer let the request through. */
export function routeEvent(id: RouteId, pathParameters: Record<string, string>, options: EventOptions = {}): HttpEvent {
  const { method } = ROUTES[id];
  const rawQueryString = options.query ?? '';
  const queryStringParameters = gatewayQuery(rawQueryString);
  const rawPath = routePath(id, pathParameters);
  const route = routeKey(id);
  return {
    version: '2.0',
    routeKey: route,
    rawPath,
    rawQueryString,
    headers: {
      host: 'events.example.com',
      'x-forwarded-proto': 'https',
      ...(method === 'POST' && { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(queryStringParameters && { queryStringParameters }),
    pathParameters,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      authorizer: { jwt: { claims: withoutUndefined({ sub: options.subject ?? 'student-1', course_ids: '*', ...options.claims }), scopes: [] } },
      domainName: 'events.example.com',
      domainPrefix: 'events',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'request-id',
      routeKey: route,
      stage: '$default',
      time: '26/Nov/2026:11:00:00 +0000',
      timeEpoch: 0,
    },
    ...(options.body !== undefined && { body: options.body }),
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

export interface ClientEvent {
  event_type?: unknown;
  event_data?: unknown;
  client_timestamp?: unknown;
  [key: string]: unknown;
}

export const batchBody = (events: ClientEvent[], extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ quiz_submission_events: events, ...extra });

/** n distinct, valid events one second apart from a fixed start. */
export const distinctEvents = (n: number, startMs = Date.parse('2014-10-08T19:00:00.000Z')): ClientEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    client_timestamp: new Date(startMs + i * 1000).toISOString(),
    event_type: i % 2 ? 'page_blurred' : 'question_viewed',
    event_data: i % 2 ? null : [String(i)],
  }));

const withoutUndefined = (claims: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(claims).filter((entry): entry is [string, string] => entry[1] !== undefined));
