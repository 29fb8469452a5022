import { readQuizEvents } from '#lib/domain/read-quiz-events.ts';
import { callerOf } from '#lib/http/caller.ts';
import { quizEventsBody } from '#lib/http/events-body.ts';
import type { RouteHandler } from '#lib/http/http-handler.ts';
import { linkHeader } from '#lib/http/link-header.ts';
import { parseQuizEventsRequest } from '#lib/http/requests.ts';
import { jsonResponse } from '#lib/http/responses.ts';
import type { HandlerDependencies } from './dependencies.ts';

/** GET …/quizzes/:quiz_id/submission_events — one page of the quiz-wide feed. */
export const getQuizEvents =
  ({ store, ...claims }: HandlerDependencies): RouteHandler =>
  async (event, signal) => {
    const request = parseQuizEventsRequest(event);
    const page = await readQuizEvents(store, request, callerOf(event, claims), signal);
    const link = linkHeader(event, { perPage: page.perPage, current: request.page, next: page.next });
    return jsonResponse(200, quizEventsBody(page.events), { link });
  };
