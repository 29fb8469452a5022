import type { IncomingHttpHeaders } from 'node:http';
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_EXPOSE_HEADERS, CORS_MAX_AGE_SECONDS } from '#lib/cors.ts';
import type { HttpResult } from '#lib/http/types.ts';

/**
 * What API Gateway's HTTP API does once CORS is configured (see docs/notes/gateway-cors.md): it answers
 * preflights itself, with no route and no authorizer involved, and on every other answer replaces
 * whatever CORS headers the integration sent with its own, for an allowed origin only.
 */
export interface GatewayCors {
  /** The gateway's own answer when the request is a preflight (OPTIONS with Origin and Access-Control-Request-Method). */
  preflight(method: string | undefined, headers: IncomingHttpHeaders): HttpResult | undefined;
  /** The answer as it leaves the gateway for a request from `origin`. */
  decorate(result: HttpResult, origin: string | undefined): HttpResult;
}

/** Undefined when no origin is allowed: the API then has no CORS configuration at all. */
export function createGatewayCors(allowedOrigins: readonly string[]): GatewayCors | undefined {
  if (allowedOrigins.length === 0) return undefined;
  const isAllowed = (origin: string | undefined): origin is string => origin !== undefined && allowedOrigins.includes(origin);

  return {
    preflight(method, { origin, 'access-control-request-method': requestedMethod }) {
      if (method !== 'OPTIONS' || origin === undefined || requestedMethod === undefined) return undefined;
      if (!isAllowed(origin)) return { statusCode: 204 };
      return {
        statusCode: 204,
        headers: {
          'access-control-allow-origin': origin,
          'access-control-allow-methods': CORS_ALLOW_METHODS.join(','),
          'access-control-allow-headers': CORS_ALLOW_HEADERS.join(','),
          'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
        },
      };
    },
    decorate(result, origin) {
      const headers = Object.fromEntries(
        Object.entries(result.headers ?? {}).filter(([name]) => !name.toLowerCase().startsWith('access-control-')),
      );
      if (isAllowed(origin)) {
        headers['access-control-allow-origin'] = origin;
        headers['access-control-expose-headers'] = CORS_EXPOSE_HEADERS.join(',');
      }
      return { ...result, headers };
    },
  };
}
