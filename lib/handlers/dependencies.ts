import type { EventStore } from '#lib/domain/event-store.ts';

/** What every route handler is built with: on Lambda from lib/runtime.ts, locally and in tests by hand. */
export interface HandlerDependencies {
  store: EventStore;
  /** The token claim listing the courses a caller may reach. */
  courseClaim: string;
}
