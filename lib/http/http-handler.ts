import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { NotFoundError, StorageBusyError } from '#lib/domain/errors.ts';
import { TIMEOUT_MARGIN_MS } from '#lib/domain/limits.ts';
import { type RouteId, routeKey } from '#lib/routes.ts';
import { errorResponse } from './error-response.ts';
import { logger } from './logger.ts';
import type { HttpEvent, HttpResult } from './types.ts';

export type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/**
 * One route's logic. `signal` aborts when the request's time is up, at `deadline` (epoch ms; infinite
 * when the context has no clock, as in tests): work that can stop early stops before it.
 */
export type RouteHandler = (event: HttpEvent, signal: AbortSignal, deadline: number) => Promise<HttpResult>;

/** Told of each request answered 4xx, with the error that decided it: the local server prints why. */
export type OnClientError = (event: HttpEvent, error: Error) => void;

/**
 * Wraps a route's logic so that every thrown error becomes its HTTP answer, and only 5xx are logged.
 * `signal` aborts TIMEOUT_MARGIN_MS before the Lambda timeout, when the request is answered 503
 * instead of being cut off: pass it to every storage call.
 */
export function httpHandler(handle: RouteHandler, onClientError?: OnClientError): HttpHandler {
  return middy<HttpEvent, HttpResult>({
    timeoutEarlyInMillis: TIMEOUT_MARGIN_MS,
    timeoutEarlyResponse: () => {
      throw new StorageBusyError('The event store did not answer in time; retry the request.');
    },
  })
    .onError((request) => {
      request.response = errorResponse(request.error);
      const { statusCode = 500 } = request.response;
      if (statusCode < 500) {
        onClientError?.(request.event, request.error as Error);
        return;
      }
      logger.error({
        message: statusCode === 503 ? 'event store busy' : 'unhandled error',
        requestId: request.event.requestContext?.requestId,
        awsRequestId: request.context?.awsRequestId,
        error: request.error as Error,
      });
    })
    .handler((event, context, { signal }) => {
      const deadline =
        typeof context.getRemainingTimeInMillis === 'function' ? Date.now() + context.getRemainingTimeInMillis() - TIMEOUT_MARGIN_MS : Number.POSITIVE_INFINITY;
      return handle(event, signal, deadline);
    });
}

/** A function's handler over its routes, each picked by the event's route key (the gateway sets it). */
export function routingHandler<Dependencies extends { onClientError?: OnClientError | undefined }>(
  routes: Partial<Record<RouteId, (dependencies: Dependencies) => RouteHandler>>,
  dependencies: Dependencies,
): HttpHandler {
  const byRouteKey = new Map(
    (Object.entries(routes) as [RouteId, (dependencies: Dependencies) => RouteHandler][]).map(([id, build]) => [routeKey(id), build(dependencies)]),
  );
  return httpHandler((event, signal, deadline) => {
    const route = byRouteKey.get(event.routeKey);
    if (!route) throw new NotFoundError(`no route ${event.routeKey}`);
    return route(event, signal, deadline);
  }, dependencies.onClientError);
}
