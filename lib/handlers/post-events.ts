import { recordEvents } from '#lib/domain/record-events.ts';
import { callerOf } from '#lib/http/caller.ts';
import type { RouteHandler } from '#lib/http/http-handler.ts';
import { parseRecordRequest } from '#lib/http/requests.ts';
import { noContent } from '#lib/http/responses.ts';
import type { HandlerDependencies } from './dependencies.ts';

/** POST …/submissions/:id/events — store a batch of quiz events. */
export const postEvents =
  ({ store, ...claims }: HandlerDependencies): RouteHandler =>
  async (event, signal) => {
    await recordEvents(store, await parseRecordRequest(event), callerOf(event, claims), signal);
    return noContent();
  };
