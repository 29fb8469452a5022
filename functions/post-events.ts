import { recordEvents } from '#lib/domain/record-events.ts';
import { callerOf } from '#lib/http/caller.ts';
import { httpHandler } from '#lib/http/http-handler.ts';
import { parseRecordRequest } from '#lib/http/requests.ts';
import { noContent } from '#lib/http/responses.ts';
import { config, eventStore } from '#lib/runtime.ts';
import type { EventStore } from '#lib/store/event-store.ts';

/** POST …/submissions/:id/events — store a batch of quiz events (the writer). */
export const createPostEventsHandler = (store: EventStore, courseClaim: string) =>
  httpHandler(async (event, signal) => {
    await recordEvents(store, await parseRecordRequest(event), callerOf(event, courseClaim), signal);
    return noContent();
  });

export const handler = createPostEventsHandler(eventStore, config.COURSE_CLAIM);
