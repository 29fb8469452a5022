import fc from 'fast-check';
import { MAX_EVENT_TYPE_LENGTH } from '#lib/domain/limits.ts';
import type { ClientEvent } from './http-events.ts';

/**
 * fast-check arbitraries of the API's inputs, valid and invalid, shared by the property tests.
 */

const pad = (value: number, width = 2) => String(Math.abs(value)).padStart(width, '0');

/**
 * An ISO-8601 text for an instant, as some client might write it: UTC or another offset, with 0 to 9
 * fraction digits (cut, never rounded, so the text still names the same millisecond), `T` or `t`.
 */
export function isoText(epochMs: number, offsetMinutes: number, fractionDigits: number, lowerCase = false): string {
  const local = new Date(epochMs + offsetMinutes * 60_000);
  const date = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  const fraction = fractionDigits === 0 ? '' : `.${pad(local.getUTCMilliseconds(), 3).padEnd(fractionDigits, '7').slice(0, fractionDigits)}`;
  const zone = offsetMinutes === 0 ? 'Z' : `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.trunc(offsetMinutes / 60))}:${pad(offsetMinutes % 60)}`;
  const text = `${date}T${time}${fraction}${zone}`;
  return lowerCase ? text.toLowerCase() : text;
}

/** A client timestamp in the past (so it is the event's time), written in any of the accepted forms. */
export const pastClientTimestamp = (): fc.Arbitrary<string> =>
  fc
    .record({
      epochMs: fc.integer({ min: Date.parse('1970-01-01T00:00:00Z'), max: Date.parse('2025-01-01T00:00:00Z') }),
      offsetMinutes: fc.constantFrom(0, 0, 0, 60, -300, 330, 345, -570, 840, -720),
      fractionDigits: fc.constantFrom(3, 3, 0, 1, 2, 6, 9),
      lowerCase: fc.boolean(),
    })
    .map(({ epochMs, offsetMinutes, fractionDigits, lowerCase }) =>
      // Fewer than 3 digits name a rounder instant; keep the text and the instant in step.
      isoText(epochMs - (fractionDigits < 3 ? epochMs % 10 ** (3 - fractionDigits) : 0), offsetMinutes, fractionDigits, lowerCase),
    );

/** Any event_type the API accepts: 1 to 255 UTF-16 units of any Unicode text. */
export const eventType = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('session_started', 'page_blurred', 'page_focused', 'question_viewed', 'question_flagged', 'question_answered'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((text) => text.length <= MAX_EVENT_TYPE_LENGTH),
  );

/** Any JSON value as event_data, or none. */
export const eventData = (): fc.Arbitrary<unknown> =>
  fc.oneof(fc.constant(undefined), fc.constant(null), fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }));

/** A valid event carrying a client timestamp (the case the exactly-once promise covers). */
export const validEvent = (): fc.Arbitrary<ClientEvent> =>
  fc
    .record({ event_type: eventType(), event_data: eventData(), client_timestamp: pastClientTimestamp() })
    .map(({ event_data, ...rest }) => (event_data === undefined ? rest : { ...rest, event_data }));

/** A valid batch; some events may be exact copies of others in it. */
export const validBatch = ({ maxLength = 40 } = {}): fc.Arbitrary<ClientEvent[]> =>
  fc
    .tuple(fc.array(validEvent(), { minLength: 1, maxLength }), fc.array(fc.nat(), { maxLength: 3 }))
    .map(([events, copies]) => [...events, ...copies.map((i) => events[i % events.length]!)]);
