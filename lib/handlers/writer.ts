import { type HttpHandler, routingHandler } from '#lib/http/http-handler.ts';
import type { RouteIdServedBy } from '#lib/routes.ts';
import type { HandlerDependencies } from './dependencies.ts';
import { postEvents } from './post-events.ts';

const WRITER_ROUTES = { postEvents } satisfies Record<RouteIdServedBy<'writer'>, unknown>;

/** The writer function: every route lib/routes.ts gives it. */
export const createWriterHandler = (dependencies: HandlerDependencies): HttpHandler => routingHandler(WRITER_ROUTES, dependencies);
