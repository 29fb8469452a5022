import { readQuizSummaries } from '#lib/domain/read-summaries.ts';
import { callerOf } from '#lib/http/caller.ts';
import type { RouteHandler } from '#lib/http/http-handler.ts';
import { linkHeader } from '#lib/http/link-header.ts';
import { parseQuizSummariesRequest } from '#lib/http/requests.ts';
import { jsonResponse } from '#lib/http/responses.ts';
import { quizSummariesBody, summaryJson } from '#lib/http/summary-body.ts';
import type { HandlerDependencies } from './dependencies.ts';

/** GET …/quizzes/:quiz_id/submission_events/summary — a page of submissions' attempt summaries. */
export const getQuizSummaries =
  ({ store, ...claims }: HandlerDependencies): RouteHandler =>
  async (event, signal, deadline) => {
    const request = parseQuizSummariesRequest(event);
    const page = await readQuizSummaries(store, request, callerOf(event, claims), { signal, deadline });
    const link = linkHeader(event, { perPage: page.perPage, current: request.page, next: page.next });
    return jsonResponse(200, quizSummariesBody(page.summaries.map(summaryJson)), { link });
  };
