import { readEvents } from '#lib/domain/read-events.ts';
import { callerOf } from '#lib/http/caller.ts';
import { eventsBody } from '#lib/http/events-body.ts';
import type { RouteHandler } from '#lib/http/http-handler.ts';
import { linkHeader } from '#lib/http/link-header.ts';
import { parseReadRequest } from '#lib/http/requests.ts';
import { jsonResponse } from '#lib/http/responses.ts';
import type { HandlerDependencies } from './dependencies.ts';

/** GET …/submissions/:id/events — one page of an attempt's events. */
export const getEvents =
  ({ store, ...claims }: HandlerDependencies): RouteHandler =>
  async (event, signal) => {
    const request = parseReadRequest(event);
    const page = await readEvents(store, request, callerOf(event, claims), signal);
    const link = linkHeader(event, { perPage: page.perPage, current: request.page, next: page.next });
    return jsonResponse(200, eventsBody(page.attempt, page.events), { link });
  };
