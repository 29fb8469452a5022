import type { ReturnedEvent } from './api-shapes.ts';

/**
 * An attempt's figures that the analytics queries also compute, worked out here step by step from
 * the events the API returns (in its order: created_at, then sort key), by the summary definitions of
 * docs/api.md. Independent of the SQL on purpose: the two must agree.
 */
export interface AttemptFigures {
  event_count: number;
  first_event_at: string;
  last_event_at: string;
  blur_count: number;
  unfocused_count: number;
  open_count: number;
  unfocused_ms_total: number;
  unfocused_ms_max: number;
}

export function attemptFigures(events: readonly ReturnedEvent[]): AttemptFigures {
  const intervals: { startedAt: string; endedAt: string; open: boolean }[] = [];
  let unfocusedSince: string | undefined;
  for (const event of events) {
    if (event.event_type === 'page_blurred' && unfocusedSince === undefined) unfocusedSince = event.created_at;
    if (event.event_type === 'page_focused' && unfocusedSince !== undefined) {
      intervals.push({ startedAt: unfocusedSince, endedAt: event.created_at, open: false });
      unfocusedSince = undefined;
    }
  }
  const last = events.at(-1)!.created_at;
  if (unfocusedSince !== undefined) intervals.push({ startedAt: unfocusedSince, endedAt: last, open: true });
  const durations = intervals.map(({ startedAt, endedAt }) => Date.parse(endedAt) - Date.parse(startedAt));
  return {
    event_count: events.length,
    first_event_at: events[0]!.created_at,
    last_event_at: last,
    blur_count: events.filter((event) => event.event_type === 'page_blurred').length,
    unfocused_count: intervals.length,
    open_count: intervals.filter(({ open }) => open).length,
    unfocused_ms_total: durations.reduce((sum, duration) => sum + duration, 0),
    unfocused_ms_max: Math.max(0, ...durations),
  };
}
