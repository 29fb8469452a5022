import type * as z from 'zod/mini';
import { MAX_PER_PAGE, MAX_SUMMARIES_PER_PAGE } from '#lib/domain/limits.ts';
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
import type { RouteId } from '#lib/routes.ts';

export interface RouteInputs {
  /** Reads the path parameters. */
  path: z.ZodMiniType;
  /** Reads the query parameters as lib/http/query-parameters.ts hands them over: an array for a list. */
  query: z.ZodMiniType;
  /** Reads the body, whatever its media type, once lib/http/request-body.ts has read it. */
  body?: z.ZodMiniType;
  /** Where per_page is clamped (it takes any integer). */
  maxPerPage?: number;
}

/**
 * The schemas each route validates its input with, as lib/http/requests.ts applies them. A table of
 * its own rather than an export of requests.ts: the writer's bundle must not take the reader's
 * schemas. test/openapi/route-inputs.test.ts checks every route reads each parameter listed here.
 */
export const ROUTE_INPUTS = {
  postEvents: { path: pathSchema, query: postQuerySchema, body: postBodySchema },
  getEvents: { path: pathSchema, query: eventsQuerySchema, maxPerPage: MAX_PER_PAGE },
  getEventsSummary: { path: pathSchema, query: summaryQuerySchema },
  getQuizEvents: { path: quizPathSchema, query: quizEventsQuerySchema, maxPerPage: MAX_PER_PAGE },
  getQuizSummaries: { path: quizPathSchema, query: quizSummariesQuerySchema, maxPerPage: MAX_SUMMARIES_PER_PAGE },
} as const satisfies Record<RouteId, RouteInputs>;
