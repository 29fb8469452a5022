import fc from 'fast-check';
import { jsonText, parseJson } from '#lib/domain/json-text.ts';
import type { FeedEvent } from './feed-server.ts';

/**
 * Quiz-feed events whose texts are hard on CSV: quotes, commas, CR and LF, Unicode beyond the BMP,
 * formulas, numbers no double holds. event_data is the JSON text the API would return for it.
 */

const AWKWARD_DATA = [
  '{"q":"say \\"hi\\", then\\nleave","n":12345678901234567890}',
  '[1e400,-0.5,"a,b","\\r\\n","😀👩‍👩‍👧","\\u2028",""]',
  '"=SUM(A1:A9)"',
  '"line1\\r\\nline2\\rline3"',
  '{"questionId":"1","flagged":true}',
  '[{"quiz_question_id":"1","answer":"a\\"b,c"}]',
  '["1","2"]',
  '-5',
  'null',
  'true',
  '{"__proto__":{"x":1},"":""}',
  '"\\"\\"\\""',
  '123456789012345678901234567890.5e-7',
];

const AWKWARD_TYPES = ['a,b', 'say "x"', 'multi\nline', 'cr\ronly', ' padded ', 'é', '=cmd|calc', '@SUM', '-', '😀', '"'];

const CANVAS_TYPES = ['session_started', 'page_blurred', 'page_focused', 'question_viewed', 'question_flagged', 'question_answered'];

const id = () => fc.stringMatching(/^[A-Za-z0-9_.:~-]{1,12}$/);

const eventDataJson = (): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.constantFrom(...AWKWARD_DATA),
      fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' }).map((value) => JSON.stringify(value)),
      fc.string({ unit: fc.constantFrom('"', ',', '\r', '\n', 'x', ' ', 'é', '😀'), maxLength: 12 }).map((text) => JSON.stringify(text)),
    )
    // As the API stores and returns it.
    .map((text) => jsonText(parseJson(text)));

const feedEvent = (): fc.Arbitrary<FeedEvent> =>
  fc.record({
    id: fc.stringMatching(/^[A-Za-z0-9_-]{16}$/),
    event_type: fc.oneof(fc.constantFrom(...CANVAS_TYPES), fc.constantFrom(...AWKWARD_TYPES), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 })),
    eventDataJson: eventDataJson(),
    created_at: fc.integer({ min: Date.parse('2014-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') }).map((ms) => new Date(ms).toISOString()),
    client_timestamp: fc.option(fc.constantFrom('2014-10-08T19:29:58.123Z', '2014-10-08T21:29:58+02:00', '2014-10-08t19:29:58.123456789z'), { nil: null }),
    received_at: fc.constant('2014-10-08T19:30:12.410Z'),
    submission_id: id(),
    attempt: fc.integer({ min: 1, max: 5 }),
  });

/** `count` events, the same ones for the same seed. */
export const awkwardFeedEvents = (count: number, seed = 4180): FeedEvent[] => fc.sample(feedEvent(), { numRuns: count, seed });
