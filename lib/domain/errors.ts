/** Typed domain errors. lib/http/error-response.ts maps them to statuses and Canvas's error body. */
export class BadRequestError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

/** Which rule refused: the token's course claim, its submission claim, its missing `sub`, or another owner. */
export type ForbiddenReason = 'course' | 'submission' | 'subject' | 'owner';

export class ForbiddenError extends Error {
  constructor(
    message: string,
    readonly reason: ForbiddenReason,
  ) {
    super(message);
  }
}

export class NotFoundError extends Error {}

export class PayloadTooLargeError extends Error {}

/** The submission has received as many events as it may (MAX_EVENTS_PER_SUBMISSION). */
export class EventQuotaExceededError extends Error {}

export class UnsupportedMediaTypeError extends Error {}

/** The store is still throttling, failing or silent after every retry the request had time for. */
export class StorageBusyError extends Error {}
