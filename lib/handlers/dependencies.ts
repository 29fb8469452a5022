import type { EventStore } from '#lib/domain/event-store.ts';
import type { ClaimNames } from '#lib/http/caller.ts';
import type { OnClientError } from '#lib/http/http-handler.ts';

/** What every route handler is built with: on Lambda from lib/runtime.ts, locally and in tests by hand. */
export interface HandlerDependencies extends ClaimNames {
  store: EventStore;
  onClientError?: OnClientError | undefined;
}
