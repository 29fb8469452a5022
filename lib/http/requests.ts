import type { ReadEventsRequest } from '#lib/domain/read-events.ts';
import type { ReadQuizEventsRequest } from '#lib/domain/read-quiz-events.ts';
import type { ReadQuizSummariesRequest, ReadSummaryRequest } from '#lib/domain/read-summaries.ts';
import type { RecordEventsRequest } from '#lib/domain/record-events.ts';
import { BadRequestError } from '#lib/domain/errors.ts';
import {
  eventsQuerySchema,
  pathSchema,
  postBodySchema,
  postQuerySchema,
  quizEventsQuerySchema,
  quizPathSchema,
  quizSummariesQuerySchema,
  summaryQuerySchema,
} from '#lib/domain/schemas.ts';
import { readRequestBody } from './request-body.ts';
import { parseInput } from './parse-input.ts';
import { queryParameters } from './query-parameters.ts';
import type { HttpEvent } from './types.ts';

const FILTERS = { single: ['start_time', 'end_time'], lists: ['event_types'] } as const;
const PAGING = ['per_page', 'page'] as const;

export async function parseRecordRequest(event: HttpEvent): Promise<RecordEventsRequest> {
  const submission = parseInput(pathSchema, event.pathParameters ?? {}, 'path');
  const query = parseInput(postQuerySchema, queryParameters(event, { single: ['attempt'] }), 'query');
  const body = parseInput(postBodySchema, await readRequestBody(event), 'body');
  if (query.attempt !== undefined && body.attempt !== undefined && query.attempt !== body.attempt) {
    throw new BadRequestError('attempt differs between the query string and the body', 'attempt');
  }
  return { submission, attempt: query.attempt ?? body.attempt, events: body.quiz_submission_events };
}

export function parseReadRequest(event: HttpEvent): ReadEventsRequest {
  const submission = parseInput(pathSchema, event.pathParameters ?? {}, 'path');
  const query = queryParameters(event, { single: ['attempt', ...PAGING, ...FILTERS.single], lists: FILTERS.lists });
  return { submission, ...parseInput(eventsQuerySchema, query, 'query') };
}

export function parseQuizEventsRequest(event: HttpEvent): ReadQuizEventsRequest {
  const quiz = parseInput(quizPathSchema, event.pathParameters ?? {}, 'path');
  const query = queryParameters(event, { single: ['attempt', ...PAGING, ...FILTERS.single], lists: [...FILTERS.lists, 'submission_ids'] });
  return { quiz, ...parseInput(quizEventsQuerySchema, query, 'query') };
}

export function parseSummaryRequest(event: HttpEvent): ReadSummaryRequest {
  const submission = parseInput(pathSchema, event.pathParameters ?? {}, 'path');
  return { submission, ...parseInput(summaryQuerySchema, queryParameters(event, { single: ['attempt'] }), 'query') };
}

export function parseQuizSummariesRequest(event: HttpEvent): ReadQuizSummariesRequest {
  const quiz = parseInput(quizPathSchema, event.pathParameters ?? {}, 'path');
  const query = queryParameters(event, { single: ['attempt', ...PAGING], lists: ['submission_ids'] });
  return { quiz, ...parseInput(quizSummariesQuerySchema, query, 'query') };
}
