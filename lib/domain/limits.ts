/** Every limit of the API, each defined once. */
export const MAX_EVENTS_PER_BATCH = 1000;
export const MAX_EVENT_DATA_BYTES = 256 * 1024;
export const MAX_EVENT_DATA_DEPTH = 1000;
export const MAX_EVENT_TYPE_LENGTH = 255;
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** Levels of brackets in a form parameter's name (Rack's default depth limit). */
export const MAX_FORM_NESTING = 32;
/** Fields in a form body: a full batch with ten fields an event. It bounds the work a small body can ask for. */
export const MAX_FORM_FIELDS = 10 * MAX_EVENTS_PER_BATCH;
export const MAX_ATTEMPT = 2_147_483_647;
export const MAX_PATH_ID_LENGTH = 128;
/** Far beyond any real precision (nanoseconds with an offset take 35), and it keeps an item under DynamoDB's 400 KB. */
export const MAX_CLIENT_TIMESTAMP_LENGTH = 64;

export const DEFAULT_PER_PAGE = 10;
export const MAX_PER_PAGE = 100;

/** The functions' Lambda timeout; the stack sets it from here. */
export const FUNCTION_TIMEOUT_SECONDS = 10;
/**
 * A request still waiting on the store this long before the Lambda timeout is answered 503, and its
 * storage calls are aborted (middy's early timeout, lib/http/http-handler.ts).
 */
export const TIMEOUT_MARGIN_MS = 2_000;
/** How long a client told 503 should wait before resending. */
export const RETRY_AFTER_SECONDS = 1;

/** A client clock further ahead than this is not trusted for `created_at`. */
export const MAX_CLIENT_CLOCK_LEAD_MS = 5 * 60 * 1000;
