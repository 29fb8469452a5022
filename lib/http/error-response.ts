import {
  BadRequestError,
  EventQuotaExceededError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  StorageBusyError,
  UnsupportedMediaTypeError,
} from '#lib/domain/errors.ts';
import { RETRY_AFTER_SECONDS } from '#lib/domain/limits.ts';
import { jsonResponse } from './responses.ts';
import type { HttpResult } from './types.ts';

/** The one place where errors become statuses and Canvas's error bodies. */
export function errorResponse(error: unknown): HttpResult {
  if (error instanceof BadRequestError) {
    return jsonResponse(400, { errors: [{ message: error.message, ...(error.field && { field: error.field }) }] });
  }
  if (error instanceof ForbiddenError) {
    return jsonResponse(403, {
      status: 'unauthorized',
      errors: [{ message: 'user not authorized to perform that action' }],
    });
  }
  if (error instanceof NotFoundError) {
    return jsonResponse(404, { errors: [{ message: 'The specified resource does not exist.' }] });
  }
  if (error instanceof EventQuotaExceededError) {
    return jsonResponse(429, { errors: [{ message: error.message }] });
  }
  if (error instanceof PayloadTooLargeError || error instanceof UnsupportedMediaTypeError) {
    return jsonResponse(error instanceof PayloadTooLargeError ? 413 : 415, { errors: [{ message: error.message }] });
  }
  if (error instanceof StorageBusyError) {
    return jsonResponse(503, { errors: [{ message: error.message }] }, { 'retry-after': String(RETRY_AFTER_SECONDS) });
  }
  return jsonResponse(500, { errors: [{ message: 'An error occurred.', error_code: 'internal_server_error' }] });
}
