import { type HttpHandler, routingHandler } from '#lib/http/http-handler.ts';
import type { RouteIdServedBy } from '#lib/routes.ts';
import type { HandlerDependencies } from './dependencies.ts';
import { getEvents } from './get-events.ts';
import { getEventsSummary } from './get-events-summary.ts';
import { getQuizEvents } from './get-quiz-events.ts';
import { getQuizSummaries } from './get-quiz-summaries.ts';

const READER_ROUTES = { getEvents, getQuizEvents, getEventsSummary, getQuizSummaries } satisfies Record<RouteIdServedBy<'reader'>, unknown>;

/** The reader function: every GET route lib/routes.ts gives it. */
export const createReaderHandler = (dependencies: HandlerDependencies): HttpHandler => routingHandler(READER_ROUTES, dependencies);
