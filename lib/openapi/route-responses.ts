import { FUNCTION_TIMEOUT_SECONDS, TIMEOUT_MARGIN_MS } from '#lib/domain/limits.ts';
import { ROUTES, type RouteId } from '#lib/routes.ts';
import { componentRef, JSON_MEDIA_TYPE, type JsonObject } from './openapi-objects.ts';
import type { ResponseSchemaName } from './response-schemas.ts';
import { ROUTE_ANSWERS, type RouteAnswers } from './route-answers.ts';

const SECURITY_HEADERS = { 'Cache-Control': componentRef('headers', 'CacheControl'), 'X-Content-Type-Options': componentRef('headers', 'XContentTypeOptions') };

/** components.headers: the headers the answers carry. */
export const HEADERS: Record<string, JsonObject> = {
  CacheControl: {
    description: "On every answer of the functions, errors included: no cache may keep a student's record.",
    required: true,
    schema: { type: 'string', const: 'no-store' },
  },
  XContentTypeOptions: {
    description: 'On every answer of the functions, errors included.',
    required: true,
    schema: { type: 'string', const: 'nosniff' },
  },
  Link: {
    description:
      "Canvas's pagination: absolute URLs joined by commas, rels current, next (only while more remain) and first, no last. Each URL keeps the request's other query parameters (sorted by name, access_token left out), then page=…&per_page=N. Walk rel=\"next\" until it is absent; the last page may be empty.",
    required: true,
    schema: {
      type: 'string',
      pattern: '^<[^<>]+>; rel="current"(?:,<[^<>]+>; rel="next")?,<[^<>]+>; rel="first"$',
      examples: [
        '<https://events.example.com/api/v1/courses/1/quizzes/2/submissions/3/events?attempt=1&page=1&per_page=10>; rel="current",<https://events.example.com/api/v1/courses/1/quizzes/2/submissions/3/events?attempt=1&page=bookmark:WyIyMDE0In0&per_page=10>; rel="next",<https://events.example.com/api/v1/courses/1/quizzes/2/submissions/3/events?attempt=1&page=1&per_page=10>; rel="first"',
      ],
    },
  },
  RetryAfter: {
    description: 'Seconds to wait before resending the same request.',
    required: true,
    schema: { type: 'string', pattern: '^[1-9][0-9]*$', examples: ['1'] },
  },
  WwwAuthenticate: {
    description: 'The gateway\'s challenge: Bearer, with error="invalid_token" when a token was sent but does not hold.',
    required: true,
    schema: { type: 'string', pattern: '^Bearer(?: |$)' },
  },
};

type Body = ResponseSchemaName | readonly ResponseSchemaName[];

const jsonContent = (body: Body) => ({
  [JSON_MEDIA_TYPE]: { schema: typeof body === 'string' ? componentRef('schemas', body) : { oneOf: body.map((name) => componentRef('schemas', name)) } },
});

/** An answer of a function: Canvas's body and the security headers. */
const functionAnswer = (description: string, body: ResponseSchemaName, headers: Record<string, JsonObject> = {}) => ({
  description,
  headers: { ...SECURITY_HEADERS, ...headers },
  content: jsonContent(body),
});

/** An answer the function or the gateway may give: only the function's carries the security headers. */
const eitherAnswer = (description: string, body: readonly [ResponseSchemaName, ResponseSchemaName]) => ({
  description: `${description} The function's answers carry Cache-Control and X-Content-Type-Options; the gateway's do not.`,
  headers: {
    'Cache-Control': { description: "On the function's answer only.", required: false, schema: HEADERS.CacheControl!.schema },
    'X-Content-Type-Options': { description: "On the function's answer only.", required: false, schema: HEADERS.XContentTypeOptions!.schema },
  },
  content: jsonContent(body),
});

const gatewayAnswer = (description: string, body: ResponseSchemaName, headers: Record<string, JsonObject> = {}) => ({
  description,
  ...(Object.keys(headers).length > 0 && { headers }),
  content: jsonContent(body),
});

/** Every answer of a route: its success, then each error it can meet, from the function or the gateway. */
export function routeResponses(id: RouteId, paged: boolean): JsonObject {
  const { method } = ROUTES[id];
  const answers: RouteAnswers = ROUTE_ANSWERS[id];
  const success = answers.body
    ? { 200: functionAnswer(ROUTES[id].summary, answers.body, paged ? { Link: componentRef('headers', 'Link') } : {}) }
    : { 204: { description: 'The whole batch is stored. No body.', headers: SECURITY_HEADERS } };
  return {
    ...success,
    400: functionAnswer(
      'Bad input: a path id, a query parameter or the body (not JSON or not a well-formed form, not UTF-8, an invalid event) is refused, naming the first field at fault. Nothing is stored.',
      'CanvasError',
    ),
    401: gatewayAnswer("The gateway's answer: the token is missing or does not hold.", 'GatewayUnauthorized', { 'WWW-Authenticate': componentRef('headers', 'WwwAuthenticate') }),
    403: eitherAnswer(
      `The gateway's {"message":"Forbidden"} when the token lacks the route's scope; the function's Canvas body when the token's course claim does not list the course${
        method === 'POST' ? ', or the submission belongs to another user (the first subject to write to a submission owns it)' : ''
      }.`,
      ['NotAuthorized', 'GatewayForbidden'],
    ),
    ...(answers.notFound && {
      404: functionAnswer('An unknown submission, or an attempt it does not have.', 'NotFound'),
    }),
    ...(method === 'POST'
      ? {
          413: eitherAnswer('The body is over 1 MiB (the function\'s answer) or over the gateway\'s 10 MiB.', ['CanvasError', 'GatewayMessage']),
          415: functionAnswer('The body is declared as something other than JSON or a form; the message lists the accepted types.', 'CanvasError'),
          429: eitherAnswer("The submission has received the most events it may (the function's answer), or the gateway's throttle.", ['CanvasError', 'GatewayMessage']),
        }
      : {
          413: gatewayAnswer("A body over the gateway's 10 MiB, refused before the function runs (the function reads no body on this route).", 'GatewayMessage'),
          429: gatewayAnswer("The gateway's throttle.", 'GatewayMessage'),
        }),
    500: eitherAnswer('Anything unexpected; or the gateway\'s {"message":"Internal Server Error"} when the function could not be run.', ['InternalError', 'GatewayMessage']),
    503: functionAnswer(
      `The store was still throttling, failing or hung after the retries the request had time for (answered ${TIMEOUT_MARGIN_MS / 1000} s before the function's ${FUNCTION_TIMEOUT_SECONDS}-second timeout at the latest).${
        method === 'POST' ? ' Some of the batch may be stored: resend the same batch, and each event is stored once.' : ''
      }`,
      'CanvasError',
      { 'Retry-After': componentRef('headers', 'RetryAfter') },
    ),
  };
}

