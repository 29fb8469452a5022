// dynalite's own measure of an item toward a Query's 1 MB, so that the fixtures hit the edge exactly.
import dynaliteDb from 'dynalite/db/index.js';
import { toIsoMillis } from '#lib/domain/event-time.ts';
import type { AttemptRef } from '#lib/domain/ids.ts';
import { SORT_KEY } from '#lib/store/table.ts';
import { eventItem, type PlainItem, type SizedEvent } from './event-items.ts';
import type { ClientEvent } from './http-events.ts';

/** DynamoDB ends a Query once it has read this much. */
export const QUERY_LIMIT_BYTES = 1024 * 1024;

const toWire = (item: PlainItem) =>
  Object.fromEntries(Object.entries(item).map(([name, value]) => [name, typeof value === 'string' ? { S: value } : { N: String(value) }]));

/** How much of a Query's 1 MB an item takes, as dynalite counts it (string and number attributes only). */
export const queryBytes = (item: PlainItem): number => dynaliteDb.itemSize(toWire(item), true, true, SORT_KEY);

/**
 * `count` events, stored in the attempt `ref` of a table without retention, whose items add up to
 * exactly 1 MB as dynalite counts a Query: a Query from the attempt's first event reads all of them and
 * stops right on the last one, so it reports a LastEvaluatedKey although nothing follows.
 * Each event_data is a string of at most 64 KiB, so 17 or more events are needed.
 */
export function eventsFillingOneQuery(ref: AttemptRef, count: number, startMs = Date.parse('2014-10-08T19:00:00.000Z')): ClientEvent[] {
  const event = (i: number, dataLength: number): SizedEvent => ({
    client_timestamp: toIsoMillis(startMs + i * 1000),
    event_type: 'question_answered',
    event_data: String(i).padEnd(dataLength, '.'),
  });
  const bytes = (i: number, dataLength: number) => queryBytes(eventItem(ref, event(i, dataLength)));
  /** The shortest event_data that makes event i take at least `target` bytes (the measure only grows with it). */
  const lengthFor = (i: number, target: number) => {
    let [low, high] = [1, target];
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (bytes(i, middle) >= target) high = middle;
      else low = middle + 1;
    }
    return low;
  };
  // dynalite's measure grows in steps (length prefixes, metadata per 3 KB), so not every total is
  // reachable with one item: the first event gives up a byte at a time until the last one fits exactly.
  const share = Math.floor(QUERY_LIMIT_BYTES / count);
  const length = lengthFor(1, share) - 1;
  const middle: SizedEvent[] = Array.from({ length: count - 2 }, (_, i) => event(i + 1, length));
  const middleBytes = (count - 2) * bytes(1, length);
  for (let firstLength = length; firstLength > length - 200; firstLength--) {
    const remaining = QUERY_LIMIT_BYTES - middleBytes - bytes(0, firstLength);
    const lastLength = lengthFor(count - 1, remaining);
    if (bytes(count - 1, lastLength) === remaining) return [event(0, firstLength), ...middle, event(count - 1, lastLength)];
  }
  throw new Error(`no ${count} events fill a Query exactly`);
}
