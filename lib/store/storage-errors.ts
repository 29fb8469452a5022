import { StorageBusyError } from '#lib/domain/errors.ts';

const TRANSIENT_ERROR_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  // the request's time ran out (TIMEOUT_MARGIN_MS before the Lambda timeout)
  'AbortError',
]);
const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED']);

/** Throttling, DynamoDB 5xx and network failures that outlived the SDK's own retries. */
function isTransientStorageError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { $metadata, code } = error as { $metadata?: { httpStatusCode?: number }; code?: string };
  return (
    TRANSIENT_ERROR_NAMES.has(error.name) ||
    ($metadata?.httpStatusCode ?? 0) >= 500 ||
    (code !== undefined && TRANSIENT_NETWORK_CODES.has(code))
  );
}

/** Runs a store call, turning transient failures into a 503 the client can retry. */
export async function withStorageErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isTransientStorageError(error)) {
      throw new StorageBusyError('The event store is busy; retry the request.');
    }
    throw error;
  }
}
