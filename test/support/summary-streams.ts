import fc from 'fast-check';
import type { SummarizedEvent } from '#lib/domain/attempt-summary.ts';
import { isoText } from './arbitraries.ts';

/**
 * Generated attempts for the summary's property tests. Each event carries what it means (its
 * intent, as a client or Canvas would have produced it) beside its stored form, so that a test can
 * compute the expected summary from the meaning without reading the stored text back.
 */

/** A question id as it appears in event_data: a JSON string, or a number written as `text`. */
export interface QuestionIdText {
  text: string;
  asNumber: boolean;
}

export type EventIntent =
  | { kind: 'session_started' }
  | { kind: 'page_blurred' }
  | { kind: 'page_focused' }
  | { kind: 'question_viewed'; ids: QuestionIdText[] }
  | { kind: 'question_flagged'; id: QuestionIdText; flagged: boolean }
  | { kind: 'question_answered'; answers: { id: QuestionIdText; answerJson: string }[] }
  /** One of the question types with event_data the summary must ignore. */
  | { kind: 'malformed'; eventType: 'question_viewed' | 'question_flagged' | 'question_answered'; json: string }
  | { kind: 'other'; eventType: string; json: string };

/** How created_at came about: the client's time, or the receipt time for want of a trustworthy one. */
export type ClockKind = 'client' | 'missing' | 'ahead';

export interface GeneratedEvent {
  intent: EventIntent;
  clock: ClockKind;
  createdMs: number;
  receivedMs: number;
  /** Breaks created_at ties as the stored digest does: a fixed, arbitrary order. */
  tieBreak: string;
  stored: SummarizedEvent;
}

const MAX_LEAD_MS = 5 * 60 * 1000;

const questionIdText = (): fc.Arbitrary<QuestionIdText> =>
  fc.oneof(
    fc.constantFrom('1', '2', '3', '10', '11', '100', '007', 'q-7', '__proto__', 'constructor', 'é', '😀').map((text) => ({ text, asNumber: false })),
    fc.constantFrom('1', '2', '3', '10', '12345678901234567890').map((text) => ({ text, asNumber: true })),
  );

export const idJson = ({ text, asNumber }: QuestionIdText): string => (asNumber ? text : JSON.stringify(text));

/** event_data texts of the question types that name no question the summary can use. */
const MALFORMED: Record<'question_viewed' | 'question_flagged' | 'question_answered', string[]> = {
  question_viewed: ['null', '"1"', '1', '{"0":"1"}', '[]', '[null,true,{},[]]', '[""]', '{'],
  question_flagged: ['null', '["1",true]', '{"questionId":"1"}', '{"questionId":"1","flagged":"true"}', '{"flagged":true}', '{"questionId":null,"flagged":true}', '{"questionId":"","flagged":false}', '"x'],
  question_answered: ['null', '{"quiz_question_id":"1","answer":"a"}', '[1,"2",null]', '[{"answer":"a"}]', '[{"quiz_question_id":{},"answer":"a"}]', '[{"quiz_question_id":true}]', ']'],
};

const jsonText = (): fc.Arbitrary<string> =>
  fc.oneof(fc.constant('null'), fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)));

const intent = (): fc.Arbitrary<EventIntent> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant({ kind: 'session_started' as const }) },
    { weight: 6, arbitrary: fc.constant({ kind: 'page_blurred' as const }) },
    { weight: 6, arbitrary: fc.constant({ kind: 'page_focused' as const }) },
    { weight: 4, arbitrary: fc.array(questionIdText(), { maxLength: 4 }).map((ids) => ({ kind: 'question_viewed' as const, ids })) },
    { weight: 3, arbitrary: fc.record({ id: questionIdText(), flagged: fc.boolean() }).map((r) => ({ kind: 'question_flagged' as const, ...r })) },
    {
      weight: 3,
      arbitrary: fc
        .array(fc.record({ id: questionIdText(), answerJson: jsonText() }), { maxLength: 3 })
        .map((answers) => ({ kind: 'question_answered' as const, answers })),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom('question_viewed' as const, 'question_flagged' as const, 'question_answered' as const)
        .chain((eventType) => fc.constantFrom(...MALFORMED[eventType]).map((json) => ({ kind: 'malformed' as const, eventType, json }))),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({
          eventType: fc.oneof(
            fc.constantFrom('submission_created', 'Page_Blurred', 'page_blurred ', '__proto__', 'constructor', 'toString', '10', 'é'),
            fc.string({ minLength: 1, maxLength: 8 }),
          ),
          json: jsonText(),
        })
        .map((r) => ({ kind: 'other' as const, ...r })),
    },
  );

export function eventTypeOf(intent: EventIntent): string {
  return intent.kind === 'malformed' || intent.kind === 'other' ? intent.eventType : intent.kind;
}

export function eventDataJsonOf(intent: EventIntent): string {
  switch (intent.kind) {
    case 'question_viewed':
      return `[${intent.ids.map(idJson).join(',')}]`;
    case 'question_flagged':
      return `{"questionId":${idJson(intent.id)},"flagged":${intent.flagged}}`;
    case 'question_answered':
      return `[${intent.answers.map(({ id, answerJson }) => `{"quiz_question_id":${idJson(id)},"answer":${answerJson}}`).join(',')}]`;
    case 'malformed':
    case 'other':
      return intent.json;
    default:
      return 'null';
  }
}

/** How the client wrote its timestamp: any zone, 3, 6 or 9 fraction digits (all name the same millisecond). */
const clientTextForm = () =>
  fc.record({ offsetMinutes: fc.constantFrom(0, 0, 0, 60, -300, 330, 840), fractionDigits: fc.constantFrom(3, 3, 6, 9), lowerCase: fc.boolean() });

const clock = () =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('client' as const),
        // received − created: late delivery, or a client clock up to (exactly) 5 minutes ahead.
        lagMs: fc.oneof(fc.integer({ min: 0, max: 3_600_000 }), fc.integer({ min: -MAX_LEAD_MS, max: 0 }), fc.constantFrom(-MAX_LEAD_MS, 0)),
        form: clientTextForm(),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('missing' as const) }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('ahead' as const), leadMs: fc.integer({ min: MAX_LEAD_MS + 1, max: 86_400_000 }), form: clientTextForm() }),
    },
  );

const START_MIN = Date.parse('2014-01-01T00:00:00.000Z');
const START_MAX = Date.parse('2030-01-01T00:00:00.000Z');

/**
 * An attempt's events in arrival order (not stored order). Times fall within `spanMs` of each other,
 * often on the same millisecond; the span stays small enough for a millisecond-by-millisecond check.
 */
export const attemptEvents = ({ maxLength = 60, spanMs = 20_000 } = {}): fc.Arbitrary<GeneratedEvent[]> =>
  fc
    .record({
      startMs: fc.integer({ min: START_MIN, max: START_MAX }),
      events: fc.array(
        fc.record({
          intent: intent(),
          clock: clock(),
          offsetMs: fc.oneof(fc.integer({ min: 0, max: spanMs }), fc.integer({ min: 0, max: 5 })),
          tieBreak: fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: 8, maxLength: 8 }),
        }),
        { maxLength },
      ),
    })
    .map(({ startMs, events }) =>
      events.map(({ intent, clock, offsetMs, tieBreak }, index): GeneratedEvent => {
        const createdMs = startMs + offsetMs;
        const receivedMs = clock.kind === 'client' ? createdMs + clock.lagMs : createdMs;
        const clientTimestamp =
          clock.kind === 'client'
            ? isoText(createdMs, clock.form.offsetMinutes, clock.form.fractionDigits, clock.form.lowerCase)
            : clock.kind === 'ahead'
              ? isoText(receivedMs + clock.leadMs, clock.form.offsetMinutes, clock.form.fractionDigits, clock.form.lowerCase)
              : undefined;
        return {
          intent,
          clock: clock.kind,
          createdMs,
          receivedMs,
          tieBreak: `${tieBreak}${index}`,
          stored: {
            createdAt: new Date(createdMs).toISOString(),
            eventType: eventTypeOf(intent),
            eventDataJson: eventDataJsonOf(intent),
            ...(clientTimestamp !== undefined && { clientTimestamp }),
            receivedAt: new Date(receivedMs).toISOString(),
          },
        };
      }),
    );

/** The order the store returns them in: created_at, then the digest. */
export const storeOrder = (events: readonly GeneratedEvent[]): GeneratedEvent[] =>
  [...events].sort((a, b) => (a.stored.createdAt === b.stored.createdAt ? (a.tieBreak < b.tieBreak ? -1 : 1) : a.stored.createdAt < b.stored.createdAt ? -1 : 1));

/** Cuts a list into consecutive pages at the given points (any numbers; taken modulo the length). */
export function pagesOf<T>(items: readonly T[], cuts: readonly number[]): T[][] {
  const points = [...new Set(cuts.map((cut) => (items.length === 0 ? 0 : cut % (items.length + 1))))].sort((a, b) => a - b);
  const pages: T[][] = [];
  let from = 0;
  for (const point of [...points, items.length]) {
    pages.push(items.slice(from, point));
    from = point;
  }
  return pages;
}
