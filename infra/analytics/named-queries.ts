import { EventAttribute, SORT_KEY, PARTITION_KEY } from '#lib/store/table.ts';
import { CREATED_AT_LENGTH, EVENT_KEY_PARTS, EVENT_MARKER, SUBMISSION_MARKER } from './change-records.ts';

/**
 * The named queries the stack saves in its Athena workgroup, in Athena's dialect (Trino). Each one
 * runs as it is. The tests run the same text on DuckDB through a small, documented shim
 * (docs/analytics.md, "The same SQL on DuckDB").
 */

export interface ChangesTable {
  database: string;
  table: string;
}

export interface NamedQuery {
  /** Also the query's name in the Athena console. */
  name: string;
  description: string;
  sql: string;
}

/** How the queries refer to the Glue table; the DuckDB shim replaces exactly this text. */
export const tableReference = ({ database, table }: ChangesTable): string => `"${database}"."${table}"`;

const image = (attribute: string) => `item.${attribute}.S`;
const keyPart = (part: keyof typeof EVENT_KEY_PARTS) => `split_part(pk, '#', ${EVENT_KEY_PARTS[part]})`;
const ATTEMPT = ['course_id', 'quiz_id', 'submission_id', 'attempt'] as const;
const partitionByAttempt = `PARTITION BY ${ATTEMPT.join(', ')}`;
const sameAttempt = (left: string, right: string) => ATTEMPT.map((column) => `${left}.${column} = ${right}.${column}`).join(' AND ');

/**
 * The event items, decoded: one row per event, its latest image (a resent event rewrites its item with
 * a later receivedAt, and delivery is at least once). Events sort by created_at, then sort key:
 * the sort key alone gives that order, since it starts with the fixed-width created_at.
 */
const eventsCte = (source: ChangesTable) => `changes AS (
  SELECT dynamodb.Keys.${PARTITION_KEY}.S AS pk,
         dynamodb.Keys.${SORT_KEY}.S AS sk,
         dynamodb.NewImage AS item
  FROM ${tableReference(source)}
),
event_versions AS (
  SELECT ${keyPart('course')} AS course_id,
         ${keyPart('quiz')} AS quiz_id,
         ${keyPart('submission')} AS submission_id,
         CAST(${keyPart('attempt')} AS integer) AS attempt,
         substr(sk, 1, ${CREATED_AT_LENGTH}) AS created_at,
         sk,
         ${image(EventAttribute.eventType)} AS event_type,
         ${image(EventAttribute.eventData)} AS event_data,
         ${image(EventAttribute.receivedAt)} AS received_at,
         row_number() OVER (PARTITION BY pk, sk ORDER BY ${image(EventAttribute.receivedAt)} DESC) AS version
  FROM changes
  WHERE ${image(EVENT_MARKER)} IS NOT NULL
),
events AS (
  SELECT course_id, quiz_id, submission_id, attempt, created_at, sk, event_type, event_data, received_at
  FROM event_versions
  WHERE version = 1
)`;

/** Each submission's owner, from its submission item (the `sub` of its first writer). */
const submissionsCte = `submission_items AS (
  SELECT ${keyPart('course')} AS course_id,
         ${keyPart('quiz')} AS quiz_id,
         ${keyPart('submission')} AS submission_id,
         ${image(SUBMISSION_MARKER)} AS owner
  FROM changes
  WHERE ${image(SUBMISSION_MARKER)} IS NOT NULL
),
submissions AS (
  SELECT course_id, quiz_id, submission_id, max(owner) AS owner
  FROM submission_items
  GROUP BY course_id, quiz_id, submission_id
)`;

/**
 * Time away, as the API's summaries define it (docs/api.md): an unfocused interval starts at a
 * page_blurred while focused and ends at the next page_focused; a further page_blurred while
 * unfocused and a page_focused while focused change nothing; an interval still open at the attempt's
 * last event ends at that event. So among an attempt's blur and focus events, a blur starts an
 * interval when the one before it is not a blur, a focus ends one when the one before it is a blur,
 * and starts and ends alternate.
 */
const timeAwayCte = `focus_changes AS (
  SELECT ${ATTEMPT.join(', ')}, sk, created_at, event_type,
         lag(event_type) OVER (${partitionByAttempt} ORDER BY sk) AS previous_type
  FROM events
  WHERE event_type IN ('page_blurred', 'page_focused')
),
transitions AS (
  SELECT ${ATTEMPT.join(', ')}, sk, created_at, event_type
  FROM focus_changes
  WHERE (event_type = 'page_blurred' AND (previous_type IS NULL OR previous_type = 'page_focused'))
     OR (event_type = 'page_focused' AND previous_type = 'page_blurred')
),
paired_transitions AS (
  SELECT ${ATTEMPT.join(', ')}, event_type, created_at AS started_at,
         lead(created_at) OVER (${partitionByAttempt} ORDER BY sk) AS focused_at
  FROM transitions
),
attempts AS (
  SELECT ${ATTEMPT.join(', ')},
         count(*) AS event_count,
         min(created_at) AS first_event_at,
         max(created_at) AS last_event_at,
         count(CASE WHEN event_type = 'page_blurred' THEN 1 END) AS blur_count
  FROM events
  GROUP BY ${ATTEMPT.join(', ')}
),
unfocused_intervals AS (
  SELECT t.course_id, t.quiz_id, t.submission_id, t.attempt, t.started_at,
         coalesce(t.focused_at, a.last_event_at) AS ended_at,
         t.focused_at IS NULL AS still_open
  FROM paired_transitions t
  JOIN attempts a ON ${sameAttempt('t', 'a')}
  WHERE t.event_type = 'page_blurred'
),
time_away AS (
  SELECT a.course_id, a.quiz_id, a.submission_id, a.attempt,
         a.event_count, a.first_event_at, a.last_event_at, a.blur_count,
         count(i.started_at) AS unfocused_count,
         count(CASE WHEN i.still_open THEN 1 END) AS open_count,
         coalesce(sum(date_diff('millisecond', from_iso8601_timestamp(i.started_at), from_iso8601_timestamp(i.ended_at))), 0) AS unfocused_ms_total,
         coalesce(max(date_diff('millisecond', from_iso8601_timestamp(i.started_at), from_iso8601_timestamp(i.ended_at))), 0) AS unfocused_ms_max
  FROM attempts a
  LEFT JOIN unfocused_intervals i ON ${sameAttempt('a', 'i')}
  GROUP BY a.course_id, a.quiz_id, a.submission_id, a.attempt, a.event_count, a.first_event_at, a.last_event_at, a.blur_count
)`;

/** How many attempts the longest-time-away query lists. */
export const LONGEST_TIME_AWAY_LIMIT = 50;

const QUERY_NAMES = {
  eventsByType: 'events-of-each-quiz-by-type',
  timeAwayPerAttempt: 'time-away-per-attempt',
  longestTimeAway: 'submissions-with-the-longest-time-away',
  eventsPerDay: 'events-per-day',
} as const;

export function namedQueries(source: ChangesTable): Record<keyof typeof QUERY_NAMES, NamedQuery> {
  const events = eventsCte(source);
  return {
    eventsByType: {
      name: QUERY_NAMES.eventsByType,
      description: 'Events of each quiz by event type, with the number of submissions that sent each type.',
      sql: `WITH ${events}
SELECT course_id, quiz_id, event_type,
       count(*) AS events,
       count(DISTINCT submission_id) AS submissions
FROM events
GROUP BY course_id, quiz_id, event_type
ORDER BY course_id, quiz_id, event_type`,
    },
    timeAwayPerAttempt: {
      name: QUERY_NAMES.timeAwayPerAttempt,
      description: "Each attempt's time away from the quiz page (unfocused intervals, as the API's summaries define them).",
      sql: `WITH ${events},
${timeAwayCte}
SELECT *
FROM time_away
ORDER BY course_id, quiz_id, submission_id, attempt`,
    },
    longestTimeAway: {
      name: QUERY_NAMES.longestTimeAway,
      description: `The ${LONGEST_TIME_AWAY_LIMIT} attempts with the most time away from the quiz page, with the submission's owner.`,
      sql: `WITH ${events},
${submissionsCte},
${timeAwayCte}
SELECT t.course_id, t.quiz_id, t.submission_id, t.attempt, s.owner,
       t.unfocused_ms_total, t.unfocused_ms_max, t.unfocused_count, t.event_count
FROM time_away t
LEFT JOIN submissions s ON t.course_id = s.course_id AND t.quiz_id = s.quiz_id AND t.submission_id = s.submission_id
WHERE t.unfocused_ms_total > 0
ORDER BY t.unfocused_ms_total DESC, t.course_id, t.quiz_id, t.submission_id, t.attempt
LIMIT ${LONGEST_TIME_AWAY_LIMIT}`,
    },
    eventsPerDay: {
      name: QUERY_NAMES.eventsPerDay,
      description: 'Events per UTC day of created_at, with the number of attempts that sent them.',
      sql: `WITH ${events}
SELECT substr(created_at, 1, 10) AS day,
       count(*) AS events,
       count(DISTINCT concat(course_id, '#', quiz_id, '#', submission_id, '#', CAST(attempt AS varchar))) AS attempts
FROM events
GROUP BY substr(created_at, 1, 10)
ORDER BY day`,
    },
  };
}
