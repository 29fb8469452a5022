import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { FUNCTION_TIMEOUT_SECONDS } from '#lib/domain/limits.ts';
import type { HttpHandler } from '#lib/http/http-handler.ts';
import type { HttpEvent, HttpResult } from '#lib/http/types.ts';
import { EVENTS_METHODS, type EventsMethod, matchEventsPath, routeKey } from '#lib/routes.ts';
import { ensureTable, LOCAL_REGION, startEmbeddedStore } from './embedded-store.ts';
import { createGatewayCors } from './gateway-cors.ts';
import { type JwtContext, toHttpApiEvent, writeHttpApiResult } from './http-api-event.ts';

export const LOCAL_TABLE_NAME = 'quiz-submission-events';
/** API Gateway's HTTP API refuses larger payloads before any function runs. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

export type Authorize = (
  method: EventsMethod,
  headers: IncomingMessage['headers'],
) => Promise<{ jwt: JwtContext } | { refusal: HttpResult }>;

export interface LocalServerOptions {
  port?: number;
  host?: string;
  /** LevelDB folder of the embedded store; in memory when absent. */
  dataDir?: string | undefined;
  authorize: Authorize;
  /** Origins the API's CORS configuration allows; none means no CORS configuration. */
  allowedOrigins?: readonly string[];
  /** Sees each event just before its function does (the tests compare it with a recorded gateway event). */
  onEvent?: (event: HttpEvent) => void;
}

export interface LocalServer {
  url: string;
  storeEndpoint: string;
  close(): Promise<void>;
}

const gatewayMessage = (statusCode: number, message: string): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ message }),
});

/** The function modules read their configuration once, at import, as on Lambda: one server per process. */
let functionsConfigured = false;

/**
 * The whole API on one port: each request becomes the payload-format-2.0 event API Gateway would send,
 * handled by the same function modules Lambda runs, over the embedded store.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const { port = 3000, host = '127.0.0.1', dataDir, authorize, allowedOrigins = [], onEvent } = options;
  if (functionsConfigured) {
    throw new Error('A local server was already started in this process, and the function modules keep its store.');
  }
  functionsConfigured = true;
  const cors = createGatewayCors(allowedOrigins);
  const store = await startEmbeddedStore(dataDir);
  await ensureTable(store.endpoint, LOCAL_TABLE_NAME);
  // The functions read their configuration from the environment at import, as on Lambda.
  Object.assign(process.env, { TABLE_NAME: LOCAL_TABLE_NAME, DYNAMODB_ENDPOINT: store.endpoint, AWS_REGION: LOCAL_REGION });
  const [post, get] = await Promise.all([import('../../functions/post-events.ts'), import('../../functions/get-events.ts')]);
  const handlers: Record<EventsMethod, HttpHandler> = { POST: post.handler, GET: get.handler };

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const answer = (result: HttpResult) => writeHttpApiResult(response, cors ? cors.decorate(result, request.headers.origin) : result);
    const preflight = cors?.preflight(request.method, request.headers);
    if (preflight) return writeHttpApiResult(response, preflight);

    const rawPath = (request.url ?? '/').split('?', 1)[0]!;
    const pathParameters = matchEventsPath(rawPath);
    const method = EVENTS_METHODS.find((known) => known === request.method);
    if (!pathParameters || !method) return answer(gatewayMessage(404, 'Not Found'));

    const body = await readBody(request);
    if (!body) return answer(gatewayMessage(413, 'Request Entity Too Large'));
    const authorization = await authorize(method, request.headers);
    if ('refusal' in authorization) return answer(authorization.refusal);

    const event = toHttpApiEvent(request, body, { routeKey: routeKey(method), pathParameters }, authorization.jwt);
    onEvent?.(event);
    try {
      answer(await handlers[method](event, lambdaContext(method)));
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    storeEndpoint: store.endpoint,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

/** The body, or undefined once it passes the gateway's limit. */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
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
function lambdaContext(method: EventsMethod): Context {
  const deadline = Date.now() + FUNCTION_TIMEOUT_SECONDS * 1000;
  return {
    awsRequestId: randomUUID(),
    functionName: `local-${method.toLowerCase()}-events`,
    functionVersion: '$LATEST',
    getRemainingTimeInMillis: () => deadline - Date.now(),
  } as Context;
}
