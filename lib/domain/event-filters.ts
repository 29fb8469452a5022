import { BadRequestError } from './errors.ts';
import { createdAtOfEventKey } from './event-key.ts';

/** Which events a reporting read returns: some types only, and a created_at range. */
export interface EventFilters {
  /** Sorted, without repeats; empty means every type. */
  eventTypes: readonly string[];
  /** created_at ≥ this (ISO ms UTC). */
  startTime?: string | undefined;
  /** created_at < this (ISO ms UTC). */
  endTime?: string | undefined;
}

export const NO_FILTERS: EventFilters = { eventTypes: [] };

/** The filters as a bookmark's context: a bookmark issued under other filters is refused. */
export const filtersContext = ({ eventTypes, startTime, endTime }: EventFilters): string =>
  JSON.stringify([eventTypes, startTime ?? null, endTime ?? null]);

/**
 * A position inside the filters' time range, or a 400: the store refuses to start a range outside it,
 * and a bookmark's checksum is no guarantee (anyone can compute one).
 */
export function assertWithinTimeRange(eventKey: string, { startTime, endTime }: EventFilters): void {
  const createdAt = createdAtOfEventKey(eventKey);
  if ((startTime !== undefined && createdAt < startTime) || (endTime !== undefined && createdAt >= endTime)) {
    throw new BadRequestError('page is outside the requested time range', 'page');
  }
}
