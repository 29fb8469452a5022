import {
  DEFAULT_PER_PAGE,
  MAX_BODY_BYTES,
  MAX_CLIENT_CLOCK_LEAD_MS,
  MAX_EVENT_DATA_BYTES,
  MAX_EVENT_DATA_DEPTH,
  MAX_EVENT_TYPE_FILTERS,
  MAX_SUBMISSION_ID_FILTERS,
} from '#lib/domain/limits.ts';
import { ROUTES, type RouteId } from '#lib/routes.ts';

/**
 * What the JSON Schema of an input cannot say: defaults, clamping, and the checks zod runs as
 * refinements and transforms (a zoned time, well-formed Unicode, event_data's size and depth), which
 * JSON Schema has no words for. The wording follows docs/api.md.
 */

const ID_RULE = '1 to 128 characters of A-Z a-z 0-9 _ . - : ~ (numeric Canvas ids and SIS-style ids such as sis_course_id:C-101)';
const ZONED_TIME = 'an ISO-8601 time with a zone (Z or an offset such as +02:00), e.g. 2014-10-08T19:29:58.123Z';

const isQuizRoute = (id: RouteId): boolean => !ROUTES[id].path.includes('{id}');

/** The description of a path or query parameter of a route; the parameter's name without `[]`. */
export function parameterDescription(id: RouteId, name: string, maxPerPage?: number): string {
  switch (name) {
    case 'course_id':
      return `The course: ${ID_RULE}. Anything else (a #, a /, a control character, non-ASCII) is a 400.`;
    case 'quiz_id':
      return `The quiz: ${ID_RULE}.`;
    case 'id':
      return `The quiz submission: ${ID_RULE}.`;
    case 'attempt':
      if (isQuizRoute(id)) {
        return 'Which attempts: latest (the default) is each submission\'s current attempt, all is every attempt, N is attempt N of the submissions that have it.';
      }
      return ROUTES[id].method === 'POST'
        ? "A positive integer: the attempt the batch belongs to. It may be given in the body instead (both given and different: 400); without either, the submission's current attempt (1 for a new submission). Given twice: 400."
        : 'A positive integer; absent: the latest attempt. Given twice: 400.';
    case 'per_page':
      return `An integer, default ${DEFAULT_PER_PAGE}, clamped to 1..${maxPerPage} as Canvas does (0 reads 1 a page); not an integer: 400.`;
    case 'page':
      return 'Absent or 1: the first page. Any other page is the opaque bookmark:… value taken from a Link header; anything else: 400.';
    case 'start_time':
      return `Only events with created_at at or after this time: ${ZONED_TIME}.`;
    case 'end_time':
      return `Only events with created_at before this time: ${ZONED_TIME}; must be after start_time.`;
    case 'event_types':
      return `Only events of these types, at most ${MAX_EVENT_TYPE_FILTERS} in all.`;
    case 'submission_ids':
      return `Only these submissions, at most ${MAX_SUBMISSION_ID_FILTERS} in all; absent: every submission of the quiz.`;
    default:
      throw new Error(`No description for the parameter ${name} of ${id}: add one.`);
  }
}

/** How a list parameter is sent, for the two parameters that describe it. */
export const listParameterDescription = (id: RouteId, name: string, form: 'brackets' | 'commas'): string =>
  `${parameterDescription(id, name)} ${
    form === 'brackets'
      ? `Canvas's array style: ${name}[]=a&${name}[]=b, one value per repeat.`
      : `The same list as one comma-separated value, ${name}=a,b (empty items are skipped); its values join those of ${name}[].`
  }`;

/** Descriptions of the body's fields, by their path in the body's JSON Schema. */
export const BODY_FIELD_DESCRIPTIONS: Record<string, string> = {
  quiz_submission_events: `The batch: 0 to 1000 events ([] answers 204 and stores nothing). All or nothing: one invalid event refuses the batch. What it stores beyond its keys (event types, event_data as JSON text, timestamps) may total at most ${MAX_BODY_BYTES} bytes, numbers written out (1e20 is 100000000000000000000).`,
  'quiz_submission_events.event_type': 'Well-formed Unicode (a lone UTF-16 surrogate is a 400). Any value is accepted, such as session_started, page_blurred, page_focused, question_viewed, question_flagged, question_answered.',
  'quiz_submission_events.event_data': `Any JSON value, at most ${MAX_EVENT_DATA_BYTES} bytes as JSON and ${MAX_EVENT_DATA_DEPTH} levels deep; absent means null. Kept as JSON text and returned as sent. In a form body every value is a string.`,
  'quiz_submission_events.client_timestamp': `${ZONED_TIME[0]!.toUpperCase()}${ZONED_TIME.slice(1)}; seconds and fraction optional, read to the millisecond; years 0000 to 9999 in UTC. It becomes the event's created_at unless absent or more than ${MAX_CLIENT_CLOCK_LEAD_MS / 60_000} minutes ahead of the server's clock.`,
  'quiz_submission_events.created_at': 'Read like client_timestamp when that is absent: the oldest API version sent the event time under this name.',
  attempt: 'A positive integer (a string of digits in a form), beside the query\'s attempt (both given and different: 400).',
};
