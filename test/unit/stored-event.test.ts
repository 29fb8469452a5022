import { describe, expect, it } from 'vitest';
import { canonicalJson, parseJson } from '#lib/domain/json-text.ts';
import { submittedEventSchema } from '#lib/domain/schemas.ts';
import { eventId, toStoredEvents } from '#lib/domain/stored-event.ts';
import { EVENT_KEY_PATTERN } from '#lib/domain/event-key.ts';

const received = Date.parse('2014-10-08T19:30:00.000Z');
const submitted = (event: Record<string, unknown>) => submittedEventSchema.parse(event);

describe('canonical JSON', () => {
  it('sorts keys at every depth and keeps arrays in order', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }, 3], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1},3]}');
  });

  it('writes numbers kept as text exactly as they came', () => {
    expect(canonicalJson(parseJson('{"b":12345678901234567890,"a":1e400}'))).toBe('{"a":1e400,"b":12345678901234567890}');
  });

  it('keeps a "__proto__" key as data', () => {
    expect(canonicalJson(JSON.parse('{"z":1,"__proto__":{"x":1}}'))).toBe('{"__proto__":{"x":1},"z":1}');
  });
});

describe('stored events', () => {
  const flag = { client_timestamp: '2014-10-08T19:29:58.123Z', event_type: 'question_flagged', event_data: { questionId: '1', flagged: true } };

  it('keys an event by its time and content, the same on every resend', () => {
    const [first] = toStoredEvents([submitted(flag)], received);
    const [again] = toStoredEvents([submitted({ ...flag, event_data: { flagged: true, questionId: '1' } })], received + 15_000);
    expect(first!.key).toMatch(EVENT_KEY_PATTERN);
    expect(first!.key.startsWith('2014-10-08T19:29:58.123Z#')).toBe(true);
    expect(again!.key).toBe(first!.key);
  });

  it.each([
    ['type', { event_type: 'question_unflagged' }],
    ['data', { event_data: { questionId: '2', flagged: true } }],
    ['client timestamp text', { client_timestamp: '2014-10-08T21:29:58.123+02:00' }],
  ])('gives a different key when the %s differs', (_, change) => {
    const [a] = toStoredEvents([submitted(flag)], received);
    const [b] = toStoredEvents([submitted({ ...flag, ...change })], received);
    expect(b!.key).not.toBe(a!.key);
  });

  it('gives repeats of identical content within a batch distinct keys, stable across resends', () => {
    const batch = [flag, flag, flag].map(submitted);
    const keys = toStoredEvents(batch, received).map((event) => event.key);
    expect(new Set(keys).size).toBe(3);
    expect(toStoredEvents(batch, received + 15_000).map((event) => event.key)).toEqual(keys);
  });

  it('stores event_data as the JSON text that was sent, null when absent', () => {
    const [withData, without] = toStoredEvents([submitted(flag), submitted({ event_type: 'page_blurred' })], received);
    expect(withData!.eventDataJson).toBe('{"questionId":"1","flagged":true}');
    expect(without!.eventDataJson).toBe('null');
    expect(without!.clientTimestamp).toBeUndefined();
  });

  it('derives ids that differ between attempts of the same key', () => {
    const [event] = toStoredEvents([submitted(flag)], received);
    expect(eventId(1, event!.key)).not.toBe(eventId(2, event!.key));
    expect(eventId(1, event!.key)).toBe(eventId(1, event!.key));
  });
});
