import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpEvent, HttpResult } from '#lib/http/types.ts';

export interface MatchedRoute {
  /** e.g. "POST /api/v1/courses/{course_id}/…/events", as the HTTP API names it. */
  routeKey: string;
  pathParameters: Record<string, string>;
}

export type JwtContext = NonNullable<HttpEvent['requestContext']['authorizer']>['jwt'];

const TEXT_MEDIA_TYPE = /^(text\/|application\/(json|[\w.+-]+\+json|xml|x-www-form-urlencoded|javascript))/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Request headers as API Gateway passes them: names lower-cased, repeats joined by commas, cookies apart. */
function gatewayHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!.toLowerCase();
    const value = request.rawHeaders[i + 1]!;
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return headers;
}

/** Query parameters as API Gateway passes them: decoded, repeated names joined by commas. */
export function gatewayQuery(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    query[name] = name in query ? `${query[name]},${value}` : value;
  }
  return query;
}

function gatewayBody(headers: Record<string, string>, body: Buffer): Pick<HttpEvent, 'body' | 'isBase64Encoded'> {
  if (body.length === 0) return { isBase64Encoded: false };
  if (TEXT_MEDIA_TYPE.test(headers['content-type'] ?? '')) {
    try {
      return { body: utf8.decode(body), isBase64Encoded: false };
    } catch {
      // not UTF-8 after all: passed on base64-encoded, as binary
    }
  }
  return { body: body.toString('base64'), isBase64Encoded: true };
}

/**
 * An HTTP API payload format 2.0 event for a request, as API Gateway builds it. The API's own address
 * (`publicUrl`) stands where the gateway puts its domain: never the request's Host header, which a
 * client could fill with anything, links included.
 */
export function toHttpApiEvent(
  request: IncomingMessage,
  body: Buffer,
  route: MatchedRoute,
  jwt: JwtContext | undefined,
  publicUrl: URL,
): HttpEvent {
  const url = request.url ?? '/';
  const queryStart = url.indexOf('?');
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : url.slice(queryStart + 1);
  const { cookie, ...headers } = gatewayHeaders(request);
  const now = new Date();
  const host = publicUrl.host;
  const queryStringParameters = gatewayQuery(rawQueryString);
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookie && { cookies: cookie.split(/;\s*/) }),
    headers: { ...headers, host, 'x-forwarded-proto': publicUrl.protocol.slice(0, -1), 'x-forwarded-for': request.socket.remoteAddress ?? '' },
    ...(queryStringParameters && { queryStringParameters }),
    pathParameters: route.pathParameters,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      // Only `jwt`: the gateway sends no principalId or integrationLatency with a JWT authorizer.
      ...(jwt && { authorizer: { jwt } }),
      domainName: host,
      domainPrefix: host.split('.')[0]!,
      http: {
        method: request.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: gatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...gatewayBody(headers, body),
  } as HttpEvent;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** The request time as API Gateway writes it: 12/Mar/2020:19:03:58 +0000 */
const gatewayTime = (date: Date): string =>
  `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
  `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;

/** Writes a function's result back as API Gateway would: status, headers, cookies, base64 bodies decoded. */
export function writeHttpApiResult(response: ServerResponse, structured: HttpResult): void {
  const body = structured.body === undefined ? undefined : Buffer.from(structured.body, structured.isBase64Encoded ? 'base64' : 'utf8');
  for (const [name, value] of Object.entries(structured.headers ?? {})) response.setHeader(name, String(value));
  if (structured.cookies?.length) response.setHeader('set-cookie', structured.cookies);
  response.writeHead(structured.statusCode ?? 200);
  response.end(body);
}
