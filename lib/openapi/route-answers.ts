import type { RouteId } from '#lib/routes.ts';
import type { ResponseSchemaName } from './response-schemas.ts';

export interface RouteAnswers {
  /** The 200 body; none: the route answers 204 without a body. */
  body?: ResponseSchemaName;
  /** Whether it answers 404 for an unknown submission or attempt (the quiz routes answer an empty page). */
  notFound?: boolean;
}

/** What each route answers when it succeeds, beyond the errors every route shares. Paging follows from per_page (route-inputs.ts). */
export const ROUTE_ANSWERS = {
  postEvents: {},
  getEvents: { body: 'EventsPage', notFound: true },
  getEventsSummary: { body: 'AttemptSummary', notFound: true },
  getQuizEvents: { body: 'QuizEventsPage' },
  getQuizSummaries: { body: 'QuizSummariesPage' },
} as const satisfies Record<RouteId, RouteAnswers>;
