import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import type { DenialReason } from '#lib/auth/gateway-denials.ts';
import { DEFAULT_COURSE_CLAIM } from '#lib/auth/list-claim.ts';
import { FUNCTION_TIMEOUT_SECONDS } from '#lib/domain/limits.ts';
import { createReaderHandler } from '#lib/handlers/reader.ts';
import { createWriterHandler } from '#lib/handlers/writer.ts';
import type { HttpHandler } from '#lib/http/http-handler.ts';
import type { HttpEvent, HttpResult } from '#lib/http/types.ts';
import { type FunctionName, type MatchedRoute, matchRoute, ROUTES, type RouteId, routeKey } from '#lib/routes.ts';
import { createDocumentClient } from '#lib/store/document-client.ts';
import { createDynamoDbEventStore } from '#lib/store/dynamodb-event-store.ts';
import { createSiteHandler } from '../web/serve.ts';
import { ensureTable, LOCAL_REGION, startEmbeddedStore } from './embedded-store.ts';
import { createGatewayCors } from './gateway-cors.ts';
import { type JwtContext, toHttpApiEvent, writeHttpApiResult } from './http-api-event.ts';
import { createOpenApiAnswer, OPENAPI_PATH } from './openapi-route.ts';

export const LOCAL_TABLE_NAME = 'quiz-submission-events';
/** API Gateway's HTTP API refuses larger payloads before any function runs. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

export type Authorize = (
  route: RouteId,
  headers: IncomingMessage['headers'],
) => Promise<{ jwt: JwtContext } | { refusal: HttpResult; reason?: DenialReason }>;

/** A request answered 4xx, and what decided it: the answer alone does not say, as from the gateway. */
export interface Refusal {
  method: string;
  /** Without the query, which may hold a token. */
  path: string;
  statusCode: number;
  route?: MatchedRoute;
  /** The token's claims, once the authorizer has let it through. */
  claims?: JwtContext['claims'];
  why:
    | { by: 'router' }
    | { by: 'gateway'; message: string }
    | { by: 'authorizer'; reason: DenialReason | undefined }
    | { by: 'handler'; error: Error | undefined };
}

export interface LocalServerOptions {
  port?: number;
  host?: string;
  /** LevelDB folder of the embedded store; in memory when absent. */
  dataDir?: string | undefined;
  authorize: Authorize;
  /** Origins the API's CORS configuration allows; none means no CORS configuration. */
  allowedOrigins?: readonly string[];
  /** The API's address as its clients reach it, for the links it answers with; default: the address it listens on. */
  publicUrl?: string | undefined;
  /** The token claims naming the courses (and, when set, the submissions) a caller may reach, as the functions read them. */
  courseClaim?: string;
  submissionClaim?: string | undefined;
  /** The built quiz log page (web/dist), served at `/` beside the API, as the same origin. */
  siteDir?: string | undefined;
  /** Told of each request answered 4xx and why (`npm start` prints it). */
  onRefusal?: (refusal: Refusal) => void;
  /** Sees each event just before its function does (the tests compare it with a recorded gateway event). */
  onEvent?: (event: HttpEvent) => void;
}

export interface LocalServer {
  url: string;
  storeEndpoint: string;
  /** The client the handlers store through (the reliability tests inject faults into it). */
  documentClient: DynamoDBDocumentClient;
  close(): Promise<void>;
}

const gatewayMessage = (statusCode: number, message: string): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ message }),
});

/**
 * The whole API on one port: each request becomes the payload-format-2.0 event API Gateway would send,
 * handled by the same handlers the two Lambda functions run, over the embedded store.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const { port = 3000, host = '127.0.0.1', dataDir, authorize, allowedOrigins = [], courseClaim = DEFAULT_COURSE_CLAIM, submissionClaim, siteDir, onRefusal, onEvent } = options;
  const cors = createGatewayCors(allowedOrigins);
  const serveSite = siteDir === undefined ? undefined : createSiteHandler(siteDir);
  const store = await startEmbeddedStore(dataDir);
  await ensureTable(store.endpoint, LOCAL_TABLE_NAME);
  const client = createDocumentClient({ region: LOCAL_REGION, endpoint: store.endpoint });
  // The error each refused request was answered for, found again by its event once the handler returns.
  const clientErrors = new WeakMap<HttpEvent, Error>();
  const dependencies = {
    store: createDynamoDbEventStore({ client, tableName: LOCAL_TABLE_NAME, retentionDays: 0 }),
    courseClaim,
    submissionClaim,
    onClientError: (event: HttpEvent, error: Error) => clientErrors.set(event, error),
  };
  let publicUrl: URL;
  const openApiAnswer = createOpenApiAnswer(() => publicUrl);
  const handlers: Record<FunctionName, HttpHandler> = {
    writer: createWriterHandler(dependencies),
    reader: createReaderHandler(dependencies),
  };

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const answer = (result: HttpResult) => writeHttpApiResult(response, cors ? cors.decorate(result, request.headers.origin) : result);
    const preflight = cors?.preflight(request.method, request.headers);
    if (preflight) return writeHttpApiResult(response, preflight);

    const rawPath = (request.url ?? '/').split('?', 1)[0]!;
    if (request.method === 'GET' && rawPath === OPENAPI_PATH) return answer(await openApiAnswer());
    const route = matchRoute(request.method, rawPath);
    const refused = (result: HttpResult, why: Refusal['why'], claims?: JwtContext['claims']) => {
      onRefusal?.({ method: request.method ?? '', path: rawPath, statusCode: result.statusCode ?? 200, ...(route && { route }), ...(claims && { claims }), why });
      answer(result);
    };
    if (!route && !rawPath.startsWith('/api/') && serveSite?.(request, response)) return;
    if (!route) {
      const notFound = gatewayMessage(404, 'Not Found');
      // The site's own misses (a browser's /favicon.ico) are no one's mistake.
      return rawPath.startsWith('/api/') ? refused(notFound, { by: 'router' }) : answer(notFound);
    }

    // The token first: nobody without one gets a body read, let alone megabytes of it.
    const authorization = await authorize(route.id, request.headers);
    if ('refusal' in authorization) return refused(authorization.refusal, { by: 'authorizer', reason: authorization.reason });
    const body = await readBody(request);
    if (!body) {
      const message = `the body is over the HTTP API's ${GATEWAY_MAX_BODY_BYTES / 1024 / 1024} MiB limit`;
      return refused(gatewayMessage(413, 'Request Entity Too Large'), { by: 'gateway', message }, authorization.jwt.claims);
    }

    const matched = { routeKey: routeKey(route.id), pathParameters: route.pathParameters };
    const event = toHttpApiEvent(request, body, matched, authorization.jwt, publicUrl);
    onEvent?.(event);
    const servedBy = ROUTES[route.id].servedBy;
    try {
      const result = await handlers[servedBy](event, lambdaContext(servedBy));
      const status = result.statusCode ?? 200;
      if (status >= 400 && status < 500) refused(result, { by: 'handler', error: clientErrors.get(event) }, authorization.jwt.claims);
      else answer(result);
    } catch {
      answer(gatewayMessage(500, 'Internal Server Error'));
    }
  }

  const server = createServer((request, response) => {
    serve(request, response).catch(() => {
      if (!response.headersSent) writeHttpApiResult(response, gatewayMessage(500, 'Internal Server Error'));
      else response.destroy();
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (error) {
    // The store's folder must be free again for whoever handles the error.
    client.destroy();
    await store.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const url = `http://${host}:${address.port}`;
  publicUrl = new URL(options.publicUrl ?? url);
  return {
    url,
    storeEndpoint: store.endpoint,
    documentClient: client,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      client.destroy();
      await store.close();
    },
  };
}

/** The body, or undefined once it passes the gateway's limit (at once when Content-Length says so). */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  if (Number(request.headers['content-length'] ?? 0) > GATEWAY_MAX_BODY_BYTES) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > GATEWAY_MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** As Lambda hands it over, with the deployed functions' timeout counting down from the call. */
function lambdaContext(name: FunctionName): Context {
  const deadline = Date.now() + FUNCTION_TIMEOUT_SECONDS * 1000;
  return {
    awsRequestId: randomUUID(),
    functionName: `local-${name}`,
    functionVersion: '$LATEST',
    getRemainingTimeInMillis: () => deadline - Date.now(),
  } as Context;
}
