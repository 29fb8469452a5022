// zod/mini rather than the classic API: the same core and messages, but schemas without ~50 methods
// attached to every instance and without the classic API's cycle-tracking memoizer. In the bundled
// functions it cut ~70 KB and ~14 ms of cold start (bench/, docs/performance.md).
import * as z from 'zod/mini';
import { jsonDepth, jsonText } from './json-text.ts';
import type { EventFilters } from './event-filters.ts';
import { parseClientTimestamp, toIsoMillis } from './event-time.ts';
import { wellFormedText } from './well-formed-text.ts';
import {
  MAX_ATTEMPT,
  MAX_BODY_BYTES,
  MAX_CLIENT_TIMESTAMP_LENGTH,
  MAX_EVENT_TYPE_FILTERS,
  MAX_SUBMISSION_ID_FILTERS,
  MAX_EVENT_DATA_BYTES,
  MAX_EVENT_DATA_DEPTH,
  MAX_EVENT_TYPE_LENGTH,
  MAX_EVENTS_PER_BATCH,
  MAX_PATH_ID_LENGTH,
  PATH_ID_PATTERN,
} from './limits.ts';

const PATH_ID = `must be 1 to ${MAX_PATH_ID_LENGTH} characters of A-Z a-z 0-9 _ . - : ~`;
const pathId = z.string(PATH_ID).check(z.regex(PATH_ID_PATTERN, PATH_ID));

/** …/courses/:course_id/quizzes/:quiz_id: the quiz routes' path. */
export const quizPathSchema = z.pipe(
  z.object({ course_id: pathId, quiz_id: pathId }, 'course_id and quiz_id are required'),
  z.transform(({ course_id, quiz_id }) => ({ courseId: course_id, quizId: quiz_id })),
);

export const pathSchema = z.pipe(
  z.object({ course_id: pathId, quiz_id: pathId, id: pathId }, 'course_id, quiz_id and id are required'),
  z.transform(({ course_id, quiz_id, id }) => ({ courseId: course_id, quizId: quiz_id, submissionId: id })),
);

/** Fails a transform with a message of ours (zod/mini's transforms have no addIssue). */
const fail = (ctx: z.core.ParsePayload, message: string) => {
  ctx.issues.push({ code: 'custom', message, input: ctx.value });
  return z.NEVER;
};

const POSITIVE_INTEGER = 'must be a positive integer';

/** An attempt number, from a query string (text) or a JSON body (number). */
const AT_MOST_MAX_ATTEMPT = `must be at most ${MAX_ATTEMPT}`;
const attemptSchema = z.union(
  [
    z.int(POSITIVE_INTEGER).check(z.minimum(1, POSITIVE_INTEGER), z.maximum(MAX_ATTEMPT, AT_MOST_MAX_ATTEMPT)),
    z.pipe(
      z.pipe(z.string(POSITIVE_INTEGER).check(z.regex(/^[1-9]\d*$/, POSITIVE_INTEGER)), z.transform(Number)),
      z.number().check(z.maximum(MAX_ATTEMPT, AT_MOST_MAX_ATTEMPT)),
    ),
  ],
  POSITIVE_INTEGER,
);

const clientTimestamp = z.nullish(
  z.pipe(
    z
      .string('must be an ISO-8601 time with a zone')
      .check(z.maxLength(MAX_CLIENT_TIMESTAMP_LENGTH, `must be at most ${MAX_CLIENT_TIMESTAMP_LENGTH} characters`), wellFormedText),
    z.transform((text: string, ctx) => {
      const epochMs = parseClientTimestamp(text);
      if (epochMs === undefined) return fail(ctx, 'must be an ISO-8601 time with a zone, e.g. 2014-10-08T19:29:58.123Z');
      return { text, epochMs };
    }),
  ),
);

const eventData = z.pipe(
  z.optional(z.unknown()),
  z.transform((value: unknown, ctx) => {
    const data = value === undefined ? null : value;
    if (jsonDepth(data, MAX_EVENT_DATA_DEPTH) > MAX_EVENT_DATA_DEPTH) {
      return fail(ctx, `must not nest deeper than ${MAX_EVENT_DATA_DEPTH} levels`);
    }
    const json = jsonText(data);
    const bytes = Buffer.byteLength(json);
    if (bytes > MAX_EVENT_DATA_BYTES) return fail(ctx, `must be at most ${MAX_EVENT_DATA_BYTES} bytes as JSON`);
    return { value: data, json, bytes };
  }),
);

export const submittedEventSchema = z.pipe(
  z.object(
    {
      event_type: z
        .string('is required and must be a string')
        .check(
          z.minLength(1, 'must not be empty'),
          z.maxLength(MAX_EVENT_TYPE_LENGTH, `must be at most ${MAX_EVENT_TYPE_LENGTH} characters`),
          wellFormedText,
        ),
      event_data: eventData,
      client_timestamp: clientTimestamp,
      // The oldest API version sent the event time as created_at.
      created_at: clientTimestamp,
    },
    'must be an object',
  ),
  z.transform(({ event_type, event_data, client_timestamp, created_at }) => ({
    eventType: event_type,
    eventData: event_data,
    clientTimestamp: client_timestamp ?? created_at ?? undefined,
  })),
);

export type SubmittedEvent = z.output<typeof submittedEventSchema>;

/**
 * What a batch stores beyond its keys: its event types, event_data and timestamps. None is longer
 * stored than sent, except numbers, which are written out: 1e20 becomes 100000000000000000000. Held to
 * the body's limit, a batch cannot swell into several times its size in writes, which one partition
 * could not take within the writer's retry budget (docs/reliability.md).
 */
const storedTextBytes = (events: readonly SubmittedEvent[]): number =>
  events.reduce(
    (bytes, { eventType, eventData, clientTimestamp }) =>
      bytes + Buffer.byteLength(eventType) + eventData.bytes + (clientTimestamp ? Buffer.byteLength(clientTimestamp.text) : 0),
    0,
  );

const storedWithinBodyLimit = z.refine<SubmittedEvent[]>((events) => storedTextBytes(events) <= MAX_BODY_BYTES, {
  message: `must store at most ${MAX_BODY_BYTES} bytes of event_type, event_data and timestamps, numbers written out (1e20 is 100000000000000000000)`,
  // Only once every event is valid: before that, some are still as sent.
  when: (payload) => payload.issues.length === 0,
});

export const postBodySchema = z.object(
  {
    quiz_submission_events: z
      .array(submittedEventSchema, 'is required and must be an array')
      .check(z.maxLength(MAX_EVENTS_PER_BATCH, `must hold at most ${MAX_EVENTS_PER_BATCH} events`), storedWithinBodyLimit),
    attempt: z.optional(attemptSchema),
  },
  'must be a JSON object',
);

export const postQuerySchema = z.object({ attempt: z.optional(attemptSchema) });

const INTEGER = 'must be an integer';
const perPage = z.pipe(z.string(INTEGER).check(z.regex(/^[+-]?\d+$/, INTEGER)), z.transform(Number));

const PAGE = 'must be 1 or a bookmark taken from a Link header';
const page = z.union(
  [z.pipe(z.literal('1'), z.transform(() => undefined)), z.string(PAGE).check(z.regex(/^bookmark:[A-Za-z0-9_-]+$/, PAGE))],
  PAGE,
);

const ZONED_TIME = 'must be an ISO-8601 time with a zone, e.g. 2014-10-08T19:29:58.123Z';
/** A filter's time, as the ISO ms UTC text it is compared with. */
const filterTime = z.pipe(
  z.string(ZONED_TIME).check(z.maxLength(MAX_CLIENT_TIMESTAMP_LENGTH, ZONED_TIME)),
  z.transform((text: string, ctx) => {
    const epochMs = parseClientTimestamp(text);
    return epochMs === undefined ? fail(ctx, ZONED_TIME) : toIsoMillis(epochMs);
  }),
);

/** `event_types[]`, `start_time` and `end_time`, on every events route. */
const filterShape = {
  event_types: z
    .array(
      z.string().check(
        z.minLength(1, 'must not hold an empty event type'),
        z.maxLength(MAX_EVENT_TYPE_LENGTH, `must hold event types of at most ${MAX_EVENT_TYPE_LENGTH} characters`),
      ),
    )
    .check(z.maxLength(MAX_EVENT_TYPE_FILTERS, `must name at most ${MAX_EVENT_TYPE_FILTERS} event types`)),
  start_time: z.optional(filterTime),
  end_time: z.optional(filterTime),
};

type FilterInput = { event_types: string[]; start_time?: string | undefined; end_time?: string | undefined };

const toFilters = ({ event_types, start_time, end_time }: FilterInput, ctx: z.core.ParsePayload): EventFilters => {
  if (start_time !== undefined && end_time !== undefined && start_time >= end_time) {
    ctx.issues.push({ code: 'custom', message: 'must be before end_time', input: start_time, path: ['start_time'] });
  }
  return { eventTypes: [...new Set(event_types)].sort(), startTime: start_time, endTime: end_time };
};

const pagingShape = { per_page: z.optional(perPage), page: z.optional(page) };

/** GET …/submissions/:id/events: the attempt, paging and filters. */
export const eventsQuerySchema = z.pipe(
  z.object({ attempt: z.optional(attemptSchema), ...pagingShape, ...filterShape }),
  z.transform(({ attempt, per_page, page, ...filters }, ctx) => ({ attempt, perPage: per_page, page, filters: toFilters(filters, ctx) })),
);

/** GET …/submissions/:id/events/summary: the attempt. */
export const summaryQuerySchema = z.object({ attempt: z.optional(attemptSchema) });

const ATTEMPTS = 'must be latest, all or a positive integer';
const attemptSelection = z.union(
  [z.literal('latest'), z.literal('all'), z.pipe(z.string(ATTEMPTS).check(z.regex(/^[1-9]\d{0,9}$/, ATTEMPTS)), z.transform(Number))],
  ATTEMPTS,
);

/** The quiz routes' selection: which attempts of which submissions. */
const quizSelectionShape = {
  attempt: z._default(attemptSelection, 'latest'),
  submission_ids: z.array(pathId).check(z.maxLength(MAX_SUBMISSION_ID_FILTERS, `must name at most ${MAX_SUBMISSION_ID_FILTERS} submissions`)),
};

const submissionSubset = (ids: string[]) => (ids.length > 0 ? [...new Set(ids)].sort() : undefined);

/** GET …/quizzes/:quiz_id/submission_events/summary: attempts, submissions and paging (a summary covers every event). */
export const quizSummariesQuerySchema = z.pipe(
  z.object({ ...quizSelectionShape, ...pagingShape }),
  z.transform(({ attempt, submission_ids, per_page, page }) => ({ attempts: attempt, submissionIds: submissionSubset(submission_ids), perPage: per_page, page })),
);

/** GET …/quizzes/:quiz_id/submission_events: attempts, submissions, paging and filters. */
export const quizEventsQuerySchema = z.pipe(
  z.object({ ...quizSelectionShape, ...pagingShape, ...filterShape }),
  z.transform(({ attempt, submission_ids, per_page, page, ...filters }, ctx) => ({
    attempts: attempt,
    submissionIds: submissionSubset(submission_ids),
    perPage: per_page,
    page,
    filters: toFilters(filters, ctx),
  })),
);
