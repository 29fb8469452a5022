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

/** One unpaired UTF-16 surrogate: a high one with no low one after it, or a low one alone. */
export const loneSurrogate = (): fc.Arbitrary<string> =>
  fc.oneof(fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff'), fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)));

/**
 * Text that is not well-formed Unicode: other text around at least one unpaired surrogate (the text
 * after it never starts with the surrogate's partner).
 */
export const notWellFormedText = ({ maxLength = 20 } = {}): fc.Arbitrary<string> =>
  fc
    .tuple(fc.string({ unit: 'binary', maxLength }), loneSurrogate(), fc.string({ unit: 'binary-ascii', maxLength }))
    .map(([before, lone, after]) => before + lone + after);

/** Any JSON value whose strings and keys may hold unpaired surrogates: valid event_data all the same. */
export const eventDataWithLoneSurrogates = (): fc.Arbitrary<unknown> =>
  fc.jsonValue({ maxDepth: 3, stringUnit: fc.oneof({ arbitrary: loneSurrogate(), weight: 1 }, { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 3 }) });

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

// ---- Invalid inputs: each is refused by construction, whatever values fast-check picks. ----

const notAString = (): fc.Arbitrary<unknown> =>
  fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }));

/** Text that no ISO-8601 zoned time can be: it has no digit-dash date at its start, or no zone. */
const notATimestamp = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }).filter((text) => !/^\d{4}-\d{2}-\d{2}[Tt]/.test(text)),
    fc.date({ noInvalidDate: true, min: new Date('1970-01-01'), max: new Date('2100-01-01') }).map((date) => date.toISOString().slice(0, 19)),
    fc.constantFrom('2014-02-30T10:00:00Z', '2014-10-08T24:00:00Z', '2014-10-08T19:29:61Z', '10000-01-01T00:00:00Z', '2014-10-08T19:29:58+24:00'),
    fc.nat({ max: 200 }).map((digits) => `2014-10-08T19:29:58.${'1'.repeat(60 + digits)}Z`),
  );

/** Nested arrays deeper than any event_data may be (the tests build deeper ones as text: JSON.stringify would overflow). */
const tooDeep = (): fc.Arbitrary<unknown> =>
  fc.integer({ min: 1001, max: 2000 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)));

type Breaker = (events: Record<string, unknown>[], index: number) => unknown;
const broken = (name: string, brk: Breaker) => ({ name, brk });
/** Breaks the batch's events, and keeps the rest of the body valid. */
const brokenEvents = (name: string, brk: Breaker) => broken(name, (events, i) => ({ quiz_submission_events: brk(events, i) }));

/** One way to break one event of a batch, or the batch itself. */
const breaker = (): fc.Arbitrary<{ name: string; brk: Breaker }> =>
  fc.oneof(
    notAString().map((value) => brokenEvents('event not an object', (events, i) => events.with(i, value as never))),
    fc.oneof(notAString(), fc.constant(''), fc.string({ minLength: 256, maxLength: 300 }), fc.constant(undefined)).map((value) =>
      brokenEvents('bad event_type', (events, i) => events.with(i, { ...events[i], event_type: value })),
    ),
    fc.tuple(fc.constantFrom('event_type', 'client_timestamp', 'created_at'), notWellFormedText()).map(([field, value]) =>
      brokenEvents(`${field} not well-formed Unicode`, (events, i) => events.with(i, { ...events[i], [field]: value })),
    ),
    fc.oneof(notATimestamp(), notAString().filter((value) => value !== null)).chain((value) =>
      fc.constantFrom('client_timestamp', 'created_at').map((field) =>
        brokenEvents(`bad ${field}`, (events, i) => events.with(i, { ...events[i], [field]: value })),
      ),
    ),
    fc.oneof(tooDeep(), fc.integer({ min: 256 * 1024 - 1, max: 300 * 1024 }).map((size) => 'x'.repeat(size))).map((value) =>
      brokenEvents('event_data too deep or too large', (events, i) => events.with(i, { ...events[i], event_data: value })),
    ),
    fc.oneof(notAString().filter((value) => !Array.isArray(value)), fc.string(), fc.constant(undefined)).map((value) =>
      broken('quiz_submission_events not an array', () => ({ quiz_submission_events: value })),
    ),
    fc.oneof(fc.integer({ max: 0 }), fc.double({ noInteger: true }), fc.constant(2 ** 31), fc.string().filter((text) => !/^[1-9]\d*$/.test(text)), fc.boolean(), fc.constant(null)).map(
      (attempt) => broken('bad attempt in the body', (events) => ({ quiz_submission_events: events, attempt })),
    ),
    fc.integer({ min: 1001, max: 1100 }).map((count) =>
      broken('more than 1000 events', (events) => ({ quiz_submission_events: Array.from({ length: count }, (_, i) => events[i % events.length]) })),
    ),
    fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.array(fc.jsonValue(), { maxLength: 3 })).map((value) =>
      broken('body not a JSON object', () => value),
    ),
    fc.constant(
      broken('__proto__ in place of the fields', (events) => JSON.parse(`{"__proto__":${JSON.stringify({ quiz_submission_events: events })}}`)),
    ),
    fc.constant(
      brokenEvents("__proto__ in place of an event's fields", (events, i) =>
        events.with(i, JSON.parse(`{"__proto__":${JSON.stringify(events[i])}}`)),
      ),
    ),
  );

/** A JSON body that the POST must refuse, with the name of what is wrong with it. */
export const invalidPostBody = (): fc.Arbitrary<{ name: string; body: string }> =>
  fc.tuple(validBatch({ maxLength: 10 }), fc.nat(), breaker()).map(([events, at, { name, brk }]) => {
    const body = brk(events as Record<string, unknown>[], at % events.length);
    return { name, body: JSON.stringify(body) ?? 'undefined' };
  });

/** Bytes that are not a JSON object with a quiz_submission_events array: random bytes, truncated JSON, other texts. */
export const garbageBody = (): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 200 }).map((text) => new TextEncoder().encode(text)),
    validBatch({ maxLength: 5 }).chain((events) => {
      const text = JSON.stringify({ quiz_submission_events: events });
      return fc.integer({ min: 0, max: text.length - 1 }).map((cut) => new TextEncoder().encode(text.slice(0, cut)));
    }),
  );

/** A path id the API refuses: an empty one, one too long, or one with a character outside A-Z a-z 0-9 _ . - : ~. */
export const invalidPathId = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(''),
    fc.integer({ min: 129, max: 5000 }).map((length) => '7'.repeat(length)),
    fc
      .tuple(
        fc.string({ maxLength: 10 }).map((text) => text.replace(/[^A-Za-z0-9_.:~-]/g, '')),
        fc.oneof(fc.constantFrom('#', '/', '\u0000', '%', '?', ' ', '\n', '..', 'é', '😀', '\u202e', '\ud800'), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })),
        fc.string({ maxLength: 10 }),
      )
      .map(([before, bad, after]) => before + bad + after)
      .filter((id) => !/^[A-Za-z0-9_.:~-]{1,128}$/.test(id)),
  );

/** A media type the POST must refuse with 415: neither JSON nor a form. */
export const unsupportedContentType = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('text/plain', 'multipart/mixed; boundary=x', 'application/xml', 'text/json', 'application/jsonp', 'application/json-patch', '', 'json', '*/*', 'form-data', 'application/x-www-form-urlencoded-x'),
    fc.string({ maxLength: 30 }).filter((text) => {
      const type = text.split(';', 1)[0]!.trim().toLowerCase();
      return type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type) && type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data';
    }),
  );

/** A query parameter value that is not a positive integer in range. */
export const invalidAttempt = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('0', '-1', '1.5', '1e400', '1e3', '', ' 1', '01', '0x10', '2147483648', '9'.repeat(400), 'NaN', 'Infinity', '1,2'),
    fc.string({ unit: 'binary', maxLength: 20 }).filter((text) => !/^[1-9]\d*$/.test(text)),
  );

/** A per_page value that is not an integer. */
export const invalidPerPage = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('1e309', '1.5', 'ten', '', '0x10', '10 ', '+', '-', 'Infinity', '1,2', '%00'),
    fc.string({ unit: 'binary', maxLength: 20 }).filter((text) => !/^[+-]?\d+$/.test(text)),
  );

/** A page value this API never issued: garbage, numbers other than 1, damaged bookmarks. */
export const invalidPage = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('0', '2', '', 'bookmark:', 'bookmark:AAAA', 'last', 'bookmark:' + 'A'.repeat(10_000)),
    fc.string({ unit: 'binary', maxLength: 30 }).filter((text) => text !== '1'),
    fc.base64String({ minLength: 4, maxLength: 80 }).map((text) => `bookmark:${text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`),
    fc.jsonValue().map((value) => `bookmark:${Buffer.from(JSON.stringify(value) ?? '').toString('base64url')}`),
  );
