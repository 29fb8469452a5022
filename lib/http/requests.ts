import { decodeBookmark } from '#lib/domain/bookmark.ts';
import { BadRequestError } from '#lib/domain/errors.ts';
import type { ReadEventsRequest } from '#lib/domain/read-events.ts';
import type { RecordEventsRequest } from '#lib/domain/record-events.ts';
import { getQuerySchema, pathSchema, postBodySchema, postQuerySchema } from '#lib/domain/schemas.ts';
import { readRequestBody } from './request-body.ts';
import { parseInput } from './parse-input.ts';
import type { HttpEvent } from './types.ts';

export async function parseRecordRequest(event: HttpEvent): Promise<RecordEventsRequest> {
  const submission = parseInput(pathSchema, event.pathParameters ?? {}, 'path');
  const query = parseInput(postQuerySchema, event.queryStringParameters ?? {}, 'query');
  const body = parseInput(postBodySchema, await readRequestBody(event), 'body');
  if (query.attempt !== undefined && body.attempt !== undefined && query.attempt !== body.attempt) {
    throw new BadRequestError('attempt differs between the query string and the body', 'attempt');
  }
  return { submission, attempt: query.attempt ?? body.attempt, events: body.quiz_submission_events };
}

export function parseReadRequest(event: HttpEvent): ReadEventsRequest & { page: string } {
  const submission = parseInput(pathSchema, event.pathParameters ?? {}, 'path');
  const query = parseInput(getQuerySchema, event.queryStringParameters ?? {}, 'query');
  return {
    submission,
    attempt: query.attempt,
    perPage: query.per_page,
    bookmark: query.page === undefined ? undefined : decodeBookmark(submission, query.page),
    page: query.page ?? '1',
  };
}
