import type { EventFilters } from './event-filters.ts';
import type { EventStore } from './event-store.ts';
import type { AttemptRef } from './ids.ts';
import type { StoredEvent } from './stored-event.ts';

/**
 * With a type filter, each Query reads up to this many events to find its matches (DynamoDB reads, and
 * bills, the events the filter leaves out); without one, a Query reads only the events the page needs.
 */
const FILTERED_QUERY_EVALUATION_LIMIT = 1000;

interface FilledEvents {
  /** At most `want` matching events, in key order. */
  events: StoredEvent[];
  /** Set when the attempt may hold more matching events after these: go on after this key. */
  continueAfter?: string | undefined;
  /** Queries made. */
  queries: number;
}

/**
 * Up to `want` of an attempt's matching events after `afterKey`, in at most `maxQueries` Queries. A
 * Query stops at its limit or at 1 MB; the next one goes on from the last event it evaluated, so a page
 * fills even when a type filter leaves most events out. When the Queries run out first, the events found
 * so far come back with where to go on, and the page is shorter. A Query that DynamoDB ended exactly on
 * the last event still says where to go on; the next one finds nothing more and ends the walk, so this
 * never loops.
 */
export async function fillFromAttempt(
  store: EventStore,
  ref: AttemptRef,
  filters: EventFilters,
  { want, afterKey, maxQueries }: { want: number; afterKey?: string | undefined; maxQueries: number },
  signal?: AbortSignal,
): Promise<FilledEvents> {
  const events: StoredEvent[] = [];
  let position = afterKey;
  let queries = 0;
  while (queries < maxQueries) {
    const missing = want - events.length;
    const limit = filters.eventTypes.length > 0 ? Math.max(missing, FILTERED_QUERY_EVALUATION_LIMIT) : missing;
    const slice = await store.queryEvents(ref, { ...filters, afterKey: position, limit }, signal);
    queries++;
    events.push(...slice.events);
    if (events.length >= want) {
      events.length = want;
      return { events, continueAfter: events.at(-1)!.key, queries };
    }
    if (slice.lastEvaluatedKey === undefined) return { events, queries };
    position = slice.lastEvaluatedKey;
  }
  return { events, continueAfter: position, queries };
}
