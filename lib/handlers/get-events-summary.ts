import { readAttemptSummary } from '#lib/domain/read-summaries.ts';
import { callerOf } from '#lib/http/caller.ts';
import type { RouteHandler } from '#lib/http/http-handler.ts';
import { parseSummaryRequest } from '#lib/http/requests.ts';
import { jsonResponse } from '#lib/http/responses.ts';
import { summaryJson } from '#lib/http/summary-body.ts';
import type { HandlerDependencies } from './dependencies.ts';

/** GET …/submissions/:id/events/summary — the facts of one attempt. */
export const getEventsSummary =
  ({ store, ...claims }: HandlerDependencies): RouteHandler =>
  async (event, signal) => {
    const summary = await readAttemptSummary(store, parseSummaryRequest(event), callerOf(event, claims), signal);
    return jsonResponse(200, summaryJson(summary));
  };
