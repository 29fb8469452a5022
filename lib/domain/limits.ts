/** Every limit of the API, each defined once. */
export const MAX_EVENTS_PER_BATCH = 1000;
/** At most 64 KiB of event_data as JSON text: the item stays far below DynamoDB's 400 KB and 64 write units. */
export const MAX_EVENT_DATA_BYTES = 64 * 1024;
export const MAX_EVENT_DATA_DEPTH = 1000;
export const MAX_EVENT_TYPE_LENGTH = 255;
/** 1 MiB of body bounds what one request can cost in write units (docs/reliability.md). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Events a submission may receive, all attempts together, resends included; past it POST answers 429. */
export const MAX_EVENTS_PER_SUBMISSION = 100_000;
/** Levels of brackets in a form parameter's name (Rack's default depth limit). */
export const MAX_FORM_NESTING = 32;
/** Fields in a form body: a full batch with ten fields an event. It bounds the work a small body can ask for. */
export const MAX_FORM_FIELDS = 10 * MAX_EVENTS_PER_BATCH;
export const MAX_ATTEMPT = 2_147_483_647;
export const MAX_PATH_ID_LENGTH = 128;
/** Every id in a path (course, quiz, submission) and in an id list: what Canvas ids and their SIS spellings use. */
export const PATH_ID_PATTERN = new RegExp(`^[A-Za-z0-9_.:~-]{1,${MAX_PATH_ID_LENGTH}}$`);
/** Far beyond any real precision (nanoseconds with an offset take 35), and it keeps an item under DynamoDB's 400 KB. */
export const MAX_CLIENT_TIMESTAMP_LENGTH = 64;

export const DEFAULT_PER_PAGE = 10;
export const MAX_PER_PAGE = 100;

/** Like Canvas: out-of-range page sizes are clamped rather than refused. */
export const clampPerPage = (perPage = DEFAULT_PER_PAGE, max = MAX_PER_PAGE): number => Math.min(max, Math.max(1, perPage));

/** A page of one attempt's events with a type filter makes at most this many Queries to fill up. */
export const MAX_QUERIES_PER_FILTERED_EVENTS_PAGE = 4;
/** A page of the quiz-wide feed makes at most this many Queries (roster and events together). */
export const MAX_QUERIES_PER_FEED_PAGE = 10;
/** Submissions on a page of quiz summaries: each summary reads all of an attempt's events. */
export const MAX_SUMMARIES_PER_PAGE = 25;
/**
 * A page of quiz summaries starts no further attempt once this little time is left before the request's
 * deadline (itself TIMEOUT_MARGIN_MS before the Lambda timeout): it answers with what it has, and a next link.
 */
export const SUMMARY_PAGE_TIME_RESERVE_MS = 3_000;
/** Filters a reporting read takes at most: event types, and submission ids on the quiz routes. */
export const MAX_EVENT_TYPE_FILTERS = 50;
export const MAX_SUBMISSION_ID_FILTERS = 100;

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
