import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { errorResponse } from './error-response.ts';
import { logger } from './logger.ts';
import type { HttpEvent, HttpResult } from './types.ts';

export type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** Wraps a route's logic so that every thrown error becomes its HTTP answer, and only 5xx are logged. */
export function httpHandler(handle: (event: HttpEvent) => Promise<HttpResult>): HttpHandler {
  return middy<HttpEvent, HttpResult>()
    .onError((request) => {
      request.response = errorResponse(request.error);
      const { statusCode = 500 } = request.response;
      if (statusCode >= 500) {
        logger.error({
          message: statusCode === 503 ? 'event store busy' : 'unhandled error',
          requestId: request.event.requestContext?.requestId,
          awsRequestId: request.context?.awsRequestId,
          error: request.error as Error,
        });
      }
    })
    .handler(handle);
}
