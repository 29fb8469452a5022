import * as z from 'zod';
import { jsonDepth } from './canonical-json.ts';
import { parseClientTimestamp } from './event-time.ts';
import {
  MAX_ATTEMPT,
  MAX_CLIENT_TIMESTAMP_LENGTH,
  MAX_EVENT_DATA_BYTES,
  MAX_EVENT_DATA_DEPTH,
  MAX_EVENT_TYPE_LENGTH,
  MAX_EVENTS_PER_BATCH,
  MAX_PATH_ID_LENGTH,
} from './limits.ts';

const pathId = z
  .string()
  .regex(
    new RegExp(`^[A-Za-z0-9_.:~-]{1,${MAX_PATH_ID_LENGTH}}$`),
    `must be 1 to ${MAX_PATH_ID_LENGTH} characters of A-Z a-z 0-9 _ . - : ~`,
  );

export const pathSchema = z
  .object({ course_id: pathId, quiz_id: pathId, id: pathId }, 'course_id, quiz_id and id are required')
  .transform(({ course_id, quiz_id, id }) => ({ courseId: course_id, quizId: quiz_id, submissionId: id }));

const POSITIVE_INTEGER = 'must be a positive integer';

/** An attempt number, from a query string (text) or a JSON body (number). */
export const attemptSchema = z.union(
  [
    z.int(POSITIVE_INTEGER).min(1, POSITIVE_INTEGER).max(MAX_ATTEMPT, `must be at most ${MAX_ATTEMPT}`),
    z
      .string()
      .regex(/^[1-9]\d*$/, POSITIVE_INTEGER)
      .transform(Number)
      .pipe(z.number().max(MAX_ATTEMPT, `must be at most ${MAX_ATTEMPT}`)),
  ],
  POSITIVE_INTEGER,
);

const clientTimestamp = z
  .string('must be an ISO-8601 time with a zone')
  .max(MAX_CLIENT_TIMESTAMP_LENGTH, `must be at most ${MAX_CLIENT_TIMESTAMP_LENGTH} characters`)
  .transform((text, ctx) => {
    const epochMs = parseClientTimestamp(text);
    if (epochMs === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 time with a zone, e.g. 2014-10-08T19:29:58.123Z' });
      return z.NEVER;
    }
    return { text, epochMs };
  })
  .nullish();

const eventData = z.unknown().optional().transform((value, ctx) => {
  const data = value === undefined ? null : value;
  if (jsonDepth(data, MAX_EVENT_DATA_DEPTH) > MAX_EVENT_DATA_DEPTH) {
    ctx.addIssue({ code: 'custom', message: `must not nest deeper than ${MAX_EVENT_DATA_DEPTH} levels` });
    return z.NEVER;
  }
  const json = JSON.stringify(data);
  if (Buffer.byteLength(json) > MAX_EVENT_DATA_BYTES) {
    ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_EVENT_DATA_BYTES} bytes as JSON` });
    return z.NEVER;
  }
  return { value: data, json };
});

export const submittedEventSchema = z
  .object(
    {
    event_type: z
      .string('is required and must be a string')
      .min(1, 'must not be empty')
      .max(MAX_EVENT_TYPE_LENGTH, `must be at most ${MAX_EVENT_TYPE_LENGTH} characters`),
    event_data: eventData,
    client_timestamp: clientTimestamp,
    // The oldest API version sent the event time as created_at.
    created_at: clientTimestamp,
    },
    'must be an object',
  )
  .transform(({ event_type, event_data, client_timestamp, created_at }) => ({
    eventType: event_type,
    eventData: event_data,
    clientTimestamp: client_timestamp ?? created_at ?? undefined,
  }));

export type SubmittedEvent = z.output<typeof submittedEventSchema>;

export const postBodySchema = z.object(
  {
    quiz_submission_events: z
      .array(submittedEventSchema, 'is required and must be an array')
      .max(MAX_EVENTS_PER_BATCH, `must hold at most ${MAX_EVENTS_PER_BATCH} events`),
    attempt: attemptSchema.optional(),
  },
  'must be a JSON object',
);

export const postQuerySchema = z.object({ attempt: attemptSchema.optional() });

const perPage = z
  .string()
  .regex(/^[+-]?\d+$/, 'must be an integer')
  .transform(Number);

const page = z.union(
  [z.literal('1').transform(() => undefined), z.string().regex(/^bookmark:[A-Za-z0-9_-]+$/)],
  'must be 1 or a bookmark taken from a Link header',
);

export const getQuerySchema = z.object({
  attempt: attemptSchema.optional(),
  per_page: perPage.optional(),
  page: page.optional(),
});
