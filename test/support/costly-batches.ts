import { toIsoMillis } from '#lib/domain/event-time.ts';
import type { AttemptRef } from '#lib/domain/ids.ts';
import { eventItem, type SizedEvent } from './event-items.ts';
import type { ClientEvent } from './http-events.ts';
import { itemBytes } from './write-units.ts';

/** A POST body and the events in it. */
export interface CostlyBatch {
  body: string;
  events: ClientEvent[];
}

const START_MS = Date.parse('2014-10-08T19:00:00.000Z');
const bodyOf = (events: readonly unknown[]) => JSON.stringify({ quiz_submission_events: events });

/**
 * The `count` events, within `maxBodyBytes` of body, that cost the most write units when stored in
 * `ref`: event_data strings grown one item at a time just past the next KB boundary of its item, the
 * first boundary (the cheapest: the item's own keys and attributes count toward it) for every event
 * before the second for any, until the body is full. Body bytes and item bytes grow alike with the data.
 */
export function costliestBatch(ref: AttemptRef, { count, maxBodyBytes }: { count: number; maxBodyBytes: number }): CostlyBatch {
  const event = (i: number, dataLength: number): SizedEvent => ({
    client_timestamp: toIsoMillis(START_MS + i),
    event_type: 't',
    event_data: 'x'.repeat(dataLength),
  });
  const lengths = Array<number>(count).fill(0);
  const baseBytes = itemBytes(eventItem(ref, event(0, 0)));
  let spare = maxBodyBytes - Buffer.byteLength(bodyOf(lengths.map((length, i) => event(i, length))));
  for (let kilobytes = 1; spare > 0; kilobytes++) {
    for (let i = 0; i < count; i++) {
      const growth = Math.max(0, kilobytes * 1024 + 1 - baseBytes - lengths[i]!);
      if (growth > spare) {
        spare = 0;
        break;
      }
      lengths[i]! += growth;
      spare -= growth;
    }
  }
  const events = lengths.map((length, i) => event(i, length));
  return { body: bodyOf(events), events };
}

/**
 * `count` events whose event_data are arrays of 1e20 (`elements` of them, or as many as `maxBodyBytes`
 * allows): each element takes 5 bytes of body and 22 as stored, written out as 100000000000000000000.
 */
export function numberExpandingBatch({
  count,
  maxBodyBytes,
  eventType = 't',
  elements,
}: {
  count: number;
  maxBodyBytes: number;
  eventType?: string;
  elements?: number;
}): CostlyBatch {
  const text = (elements: number) =>
    `{"quiz_submission_events":[${Array.from(
      { length: count },
      (_, i) =>
        `{"client_timestamp":"${toIsoMillis(START_MS + i)}","event_type":${JSON.stringify(eventType)},"event_data":[${Array(elements).fill('1e20').join(',')}]}`,
    ).join(',')}]}`;
  // Each further element adds ",1e20" to every event.
  const body = text(elements ?? 1 + Math.floor((maxBodyBytes - Buffer.byteLength(text(1))) / (5 * count)));
  if (Buffer.byteLength(body) > maxBodyBytes) throw new Error(`the batch takes more than ${maxBodyBytes} bytes`);
  return { body, events: JSON.parse(body).quiz_submission_events };
}
