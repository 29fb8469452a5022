/**
 * Every body the API answers with, as zod schemas for the OpenAPI document (docs/openapi.json). The
 * functions write their bodies as text (lib/http/events-body.ts, summary-body.ts, error-response.ts)
 * and never import these: the classic zod API stays out of their bundles. The test suite checks every
 * answer it receives against the document, so these cannot drift from what the functions write.
 */
import * as z from 'zod';
import { MAX_ATTEMPT, MAX_CLIENT_TIMESTAMP_LENGTH, MAX_EVENT_TYPE_LENGTH, PATH_ID_PATTERN } from '#lib/domain/limits.ts';

/** Every time the API writes: UTC, fixed width, milliseconds (JavaScript's toISOString). */
const isoMillis = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  .meta({ format: 'date-time' });
const pathId = z.string().regex(PATH_ID_PATTERN);
const attempt = z.int().min(1).max(MAX_ATTEMPT);
const count = z.int().nonnegative();
const durationMs = z.int().nonnegative();

const eventShape = {
  id: z.string().regex(/^[A-Za-z0-9_-]{16}$/).meta({ description: 'Unique within the submission (across attempts) and the same on every read.' }),
  event_type: z.string().min(1).max(MAX_EVENT_TYPE_LENGTH),
  event_data: z.unknown().meta({ description: 'Any JSON value, returned as it was sent (numbers no double can hold included); null when it was absent.' }),
  created_at: isoMillis.meta({
    description: 'When the event happened: the client\'s time, or the time it was received when there was none or the client\'s clock was more than 5 minutes ahead.',
  }),
  client_timestamp: z
    .string()
    .max(MAX_CLIENT_TIMESTAMP_LENGTH)
    .nullable()
    .meta({ description: "The client's timestamp exactly as sent, or null." }),
  received_at: isoMillis.meta({ description: 'When the server stored it (the latest receipt, for a resent event).' }),
};

export const eventSchema = z
  .strictObject({ ...eventShape, attempt })
  .meta({
    description: 'One event of a submission attempt. Keys come in this order: id, event_type, event_data, created_at, client_timestamp, received_at, attempt.',
    examples: [
      {
        id: 'xdbh7q5Fr0Qki2x-',
        event_type: 'question_flagged',
        event_data: { questionId: '1', flagged: true },
        created_at: '2014-10-08T19:29:58.123Z',
        client_timestamp: '2014-10-08T19:29:58.123Z',
        received_at: '2014-10-08T19:30:12.410Z',
        attempt: 1,
      },
    ],
  });

export const quizEventSchema = z
  .strictObject({ ...eventShape, submission_id: pathId, attempt })
  .meta({
    description:
      'One event of the quiz-wide feed: an Event naming its submission. Keys come in this order: id, event_type, event_data, created_at, client_timestamp, received_at, submission_id, attempt.',
  });

export const eventsPageSchema = z
  .strictObject({ quiz_submission_events: z.array(eventSchema) })
  .meta({ description: "One page of an attempt's events, in created_at order (a fixed order within one millisecond)." });

export const quizEventsPageSchema = z.strictObject({ quiz_submission_events: z.array(quizEventSchema) }).meta({
  description: 'One page of the quiz-wide feed, ordered by submission id (byte order), attempt, then created_at.',
});

const unfocusedIntervalSchema = z
  .strictObject({
    started_at: isoMillis.meta({ description: 'When the page lost focus.' }),
    ended_at: isoMillis.meta({ description: "When it got focus back or, for an open interval, the time of the attempt's last event." }),
    duration_ms: durationMs,
    open: z.boolean().meta({ description: 'true when the page never reported getting focus back: the interval is cut off at the attempt\'s last event.' }),
  });

const questionActivitySchema = z
  .strictObject({
    first_viewed_at: isoMillis.nullable().meta({ description: 'The first question_viewed event naming it; null if it never was.' }),
    view_count: count,
    flagged: z.boolean().meta({ description: 'The value the last question_flagged event for it set; false if it was never flagged.' }),
    answer_count: count,
  });

export const summarySchema = z
  .strictObject({
    submission_id: pathId,
    attempt,
    event_count: count,
    event_counts: z
      .record(z.string().min(1), z.int().min(1))
      .meta({ description: 'Events per type, only the types that occur, ordered by type name; they add up to event_count.' }),
    first_event_at: isoMillis.nullable().meta({ description: "The attempt's first created_at; null when it has no events." }),
    last_event_at: isoMillis.nullable().meta({ description: "The attempt's last created_at; null when it has no events." }),
    duration_ms: durationMs.nullable().meta({ description: 'last_event_at minus first_event_at; null when there are no events.' }),
    session_count: count.meta({ description: 'session_started events.' }),
    blur_count: count.meta({ description: 'page_blurred events, repeats included.' }),
    unfocused_intervals: z.array(unfocusedIntervalSchema),
    unfocused_ms_total: durationMs,
    unfocused_ms_max: durationMs,
    questions: z
      .record(z.string().min(1), questionActivitySchema)
      .meta({ description: 'Keyed by question id: numeric ids first in numeric order, then the others in character order.' }),
    max_receive_lag_ms: z
      .int()
      .nullable()
      .meta({ description: 'The largest received_at minus created_at; negative only when the client clock ran ahead; null when there are no events.' }),
    clock_fallback_count: count.meta({ description: "Events timed by their receipt because the client sent no time or one more than 5 minutes ahead of the server's clock." }),
  })
  .meta({
    description:
      "The facts of one submission attempt, computed from all of its events (docs/api.md, Summaries). Facts, not a verdict. Keys come in the order listed here.",
    examples: [
      {
        submission_id: '3',
        attempt: 1,
        event_count: 9,
        event_counts: { page_blurred: 3, page_focused: 1, question_answered: 1, question_flagged: 1, question_viewed: 2, session_started: 1 },
        first_event_at: '2014-10-08T19:00:00.000Z',
        last_event_at: '2014-10-08T19:12:00.000Z',
        duration_ms: 720000,
        session_count: 1,
        blur_count: 3,
        unfocused_intervals: [
          { started_at: '2014-10-08T19:01:00.000Z', ended_at: '2014-10-08T19:02:30.000Z', duration_ms: 90000, open: false },
          { started_at: '2014-10-08T19:11:00.000Z', ended_at: '2014-10-08T19:12:00.000Z', duration_ms: 60000, open: true },
        ],
        unfocused_ms_total: 150000,
        unfocused_ms_max: 90000,
        questions: {
          '1': { first_viewed_at: '2014-10-08T19:00:05.000Z', view_count: 2, flagged: true, answer_count: 1 },
          '2': { first_viewed_at: '2014-10-08T19:05:00.000Z', view_count: 1, flagged: false, answer_count: 0 },
        },
        max_receive_lag_ms: 14000,
        clock_fallback_count: 0,
      },
    ],
  });

export const quizSummariesPageSchema = z
  .strictObject({ quiz_submission_event_summaries: z.array(summarySchema) })
  .meta({ description: 'One summary per submission attempt, ordered by submission id then attempt; paged by submission.' });

const oneError = <Shape extends z.ZodRawShape>(shape: Shape) => z.array(z.strictObject(shape)).length(1);

export const canvasErrorSchema = z
  .strictObject({
    errors: oneError({
      message: z.string().min(1),
      field: z.string().min(1).optional().meta({ description: 'On validation errors: the field at fault, e.g. quiz_submission_events[37].event_type.' }),
    }),
  })
  .meta({ description: "Canvas's error body.", examples: [{ errors: [{ message: 'quiz_submission_events[37].event_type is required and must be a string', field: 'quiz_submission_events[37].event_type' }] }] });

export const notFoundSchema = z
  .strictObject({ errors: oneError({ message: z.literal('The specified resource does not exist.') }) })
  .meta({ description: "Canvas's not-found body." });

export const internalErrorSchema = z
  .strictObject({ errors: oneError({ message: z.literal('An error occurred.'), error_code: z.literal('internal_server_error') }) })
  .meta({ description: 'Anything unexpected; never a stack trace or an AWS error text.' });

export const notAuthorizedSchema = z
  .strictObject({ status: z.literal('unauthorized'), errors: oneError({ message: z.literal('user not authorized to perform that action') }) })
  .meta({ description: "Canvas's 403: the token's course claim does not list this course, or the submission belongs to another user." });

/** API Gateway's own answers (and the local server's, acting as the gateway), before or instead of a function. */
export const gatewayMessageSchema = z
  .strictObject({ message: z.string().min(1) })
  .meta({ description: "API Gateway's own answer, e.g. {\"message\":\"Too Many Requests\"}.", examples: [{ message: 'Too Many Requests' }] });

export const gatewayUnauthorizedSchema = z
  .strictObject({ message: z.literal('Unauthorized') })
  .meta({ description: "The gateway's 401: the token is missing or does not hold." });

export const gatewayForbiddenSchema = z
  .strictObject({ message: z.literal('Forbidden') })
  .meta({ description: "The gateway's 403: the token lacks the route's scope." });

/** Every response body, by the name the document gives it (components.schemas). */
export const RESPONSE_SCHEMAS = {
  Event: eventSchema,
  QuizEvent: quizEventSchema,
  EventsPage: eventsPageSchema,
  QuizEventsPage: quizEventsPageSchema,
  UnfocusedInterval: unfocusedIntervalSchema,
  QuestionActivity: questionActivitySchema,
  AttemptSummary: summarySchema,
  QuizSummariesPage: quizSummariesPageSchema,
  CanvasError: canvasErrorSchema,
  NotFound: notFoundSchema,
  InternalError: internalErrorSchema,
  NotAuthorized: notAuthorizedSchema,
  GatewayMessage: gatewayMessageSchema,
  GatewayUnauthorized: gatewayUnauthorizedSchema,
  GatewayForbidden: gatewayForbiddenSchema,
} as const;

export type ResponseSchemaName = keyof typeof RESPONSE_SCHEMAS;
