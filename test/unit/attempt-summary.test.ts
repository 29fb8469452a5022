import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AttemptSummarizer,
  type AttemptSummary,
  type QuestionActivity,
  type SummarizedEvent,
  summarizeAttempt,
  type UnfocusedInterval,
} from '#lib/domain/attempt-summary.ts';
import { submittedEventSchema } from '#lib/domain/schemas.ts';
import { toStoredEvents } from '#lib/domain/stored-event.ts';
import { summaryJson } from '#lib/http/summary-body.ts';
import { attemptEvents, type GeneratedEvent, pagesOf, storeOrder } from '../support/summary-streams.ts';

/**
 * The expected summary, computed a second way: from what each generated event means (not from its
 * stored text), with the focus state read off a timeline one millisecond at a time and the
 * intervals found by looking backwards and forwards from each blur rather than by a running state.
 */
function oracle(submissionId: string, attempt: number, arrived: readonly GeneratedEvent[]): AttemptSummary {
  // Ties on the millisecond fall to the stored digest's order; tieBreak plays the digest here.
  const timeline = [...arrived].sort((a, b) => a.createdMs - b.createdMs || (a.tieBreak < b.tieBreak ? -1 : 1));
  const iso = (ms: number) => new Date(ms).toISOString();
  const kinds = timeline.map((event) => event.intent.kind);
  const last = timeline.at(-1);
  const first = timeline[0];

  const intervals: UnfocusedInterval[] = [];
  kinds.forEach((kind, i) => {
    if (kind !== 'page_blurred') return;
    const before = kinds.slice(0, i).findLast((k) => k === 'page_blurred' || k === 'page_focused');
    if (before === 'page_blurred') return;
    const end = kinds.findIndex((k, j) => j > i && k === 'page_focused');
    const endedMs = end === -1 ? last!.createdMs : timeline[end]!.createdMs;
    intervals.push({ startedAt: iso(timeline[i]!.createdMs), endedAt: iso(endedMs), durationMs: endedMs - timeline[i]!.createdMs, open: end === -1 });
  });

  let unfocusedMs = 0;
  if (first && last) {
    let state = 'focused';
    let next = 0;
    for (let ms = first.createdMs; ms < last.createdMs; ms++) {
      while (next < timeline.length && timeline[next]!.createdMs <= ms) {
        const kind = timeline[next++]!.intent.kind;
        if (kind === 'page_blurred') state = 'unfocused';
        if (kind === 'page_focused') state = 'focused';
      }
      if (state === 'unfocused') unfocusedMs++;
    }
  }

  const counts: Record<string, number> = Object.create(null);
  for (const { stored } of timeline) counts[stored.eventType] = (counts[stored.eventType] ?? 0) + 1;

  const questions = new Map<string, QuestionActivity>();
  const question = (id: string) => questions.get(id) ?? questions.set(id, { firstViewedAt: null, viewCount: 0, flagged: false, answerCount: 0 }).get(id)!;
  for (const { intent, createdMs } of timeline) {
    if (intent.kind === 'question_viewed') {
      for (const { text } of intent.ids) {
        question(text).viewCount += 1;
        question(text).firstViewedAt ??= iso(createdMs);
      }
    } else if (intent.kind === 'question_flagged') {
      question(intent.id.text).flagged = intent.flagged;
    } else if (intent.kind === 'question_answered') {
      for (const { id } of intent.answers) question(id.text).answerCount += 1;
    }
  }
  const numericFirst = (id: string) => (/^(0|[1-9][0-9]*)$/.test(id) ? `0${id.padStart(40, '0')}` : `1${id}`);
  const sortedIds = [...questions.keys()].sort((a, b) => (numericFirst(a) < numericFirst(b) ? -1 : numericFirst(a) > numericFirst(b) ? 1 : 0));

  return {
    submissionId,
    attempt,
    eventCount: timeline.length,
    eventCounts: new Map(Object.keys(counts).sort().map((type) => [type, counts[type]!])),
    firstEventAt: first ? iso(first.createdMs) : null,
    lastEventAt: last ? iso(last.createdMs) : null,
    durationMs: first && last ? last.createdMs - first.createdMs : null,
    sessionCount: kinds.filter((k) => k === 'session_started').length,
    blurCount: kinds.filter((k) => k === 'page_blurred').length,
    unfocusedIntervals: intervals,
    unfocusedMsTotal: unfocusedMs,
    unfocusedMsMax: Math.max(0, ...intervals.map((interval) => interval.durationMs)),
    questions: new Map(sortedIds.map((id) => [id, questions.get(id)!])),
    maxReceiveLagMs: timeline.length === 0 ? null : Math.max(...timeline.map((event) => event.receivedMs - event.createdMs)),
    clockFallbackCount: timeline.filter((event) => event.clock !== 'client').length,
  };
}

/** Maps compared as entry lists, so their order is checked too. */
const comparable = (summary: AttemptSummary) => ({ ...summary, eventCounts: [...summary.eventCounts], questions: [...summary.questions] });

const storedOf = (events: readonly GeneratedEvent[]): SummarizedEvent[] => storeOrder(events).map((event) => event.stored);

describe('attempt summary: properties against an independent computation', () => {
  it('equals the summary derived from what the events mean', () => {
    fc.assert(
      fc.property(attemptEvents(), (events) => {
        expect(comparable(summarizeAttempt('3', 1, storedOf(events)))).toEqual(comparable(oracle('3', 1, events)));
      }),
      { numRuns: 300 },
    );
  });

  it('has an unfocused total equal to the sum of its intervals, and a max that is the largest of them', () => {
    fc.assert(
      fc.property(attemptEvents(), (events) => {
        const summary = summarizeAttempt('3', 1, storedOf(events));
        const durations = summary.unfocusedIntervals.map((interval) => interval.durationMs);
        expect(summary.unfocusedMsTotal).toBe(durations.reduce((sum, ms) => sum + ms, 0));
        expect(summary.unfocusedMsMax).toBe(Math.max(0, ...durations));
        expect(summary.unfocusedIntervals.filter((interval) => interval.open).length).toBeLessThanOrEqual(1);
        expect(summary.unfocusedIntervals.slice(0, -1).every((interval) => !interval.open)).toBe(true);
      }),
    );
  });

  it('has counts by type that add up to the event count', () => {
    fc.assert(
      fc.property(attemptEvents(), (events) => {
        const summary = summarizeAttempt('3', 1, storedOf(events));
        expect([...summary.eventCounts.values()].reduce((sum, count) => sum + count, 0)).toBe(summary.eventCount);
        expect(summary.eventCount).toBe(events.length);
        expect(summary.sessionCount).toBe(summary.eventCounts.get('session_started') ?? 0);
        expect(summary.blurCount).toBe(summary.eventCounts.get('page_blurred') ?? 0);
      }),
    );
  });

  it('summarizes an attempt read in pages the same as in one page', () => {
    fc.assert(
      fc.property(attemptEvents(), fc.array(fc.nat(), { maxLength: 6 }), (events, cuts) => {
        const stored = storedOf(events);
        const paged = new AttemptSummarizer('3', 1);
        for (const page of pagesOf(stored, cuts)) {
          for (const event of page) paged.add(event);
          // A summary taken between pages does not disturb the running one.
          paged.summary();
        }
        expect(comparable(paged.summary())).toEqual(comparable(summarizeAttempt('3', 1, stored)));
      }),
    );
  });

  it('does not depend on the order the batches arrived in, beyond the receipt lag', () => {
    const start = Date.parse('2014-10-08T19:00:00.000Z');
    const batches = fc
      .uniqueArray(fc.integer({ min: 0, max: 600_000 }), { minLength: 1, maxLength: 40 })
      .chain((offsets) =>
        fc.tuple(
          fc.constant(offsets),
          fc.array(fc.constantFrom('page_blurred', 'page_focused', 'session_started', 'question_viewed'), { minLength: offsets.length, maxLength: offsets.length }),
          fc.array(fc.nat(), { maxLength: 5 }),
        ),
      )
      .map(([offsets, types, cuts]) => {
        const events = offsets.map((offset, i) => ({
          event_type: types[i]!,
          event_data: types[i] === 'question_viewed' ? [String(i % 4)] : null,
          client_timestamp: new Date(start + offset).toISOString(),
        }));
        return pagesOf(events, cuts).filter((batch) => batch.length > 0);
      });

    /** Posts the batches in the given order, each received a second after the last (and after its events). */
    const storeArrivals = (arrivals: ReturnType<typeof submittedBatch>[]) => {
      let receivedMs = start + 600_000;
      const stored = arrivals.flatMap((batch) => toStoredEvents(batch, (receivedMs += 1000)));
      return stored.sort((a, b) => (a.key < b.key ? -1 : 1)).map((event) => ({ ...event, createdAt: event.key.slice(0, 24) }));
    };
    const submittedBatch = (batch: Record<string, unknown>[]) => batch.map((event) => submittedEventSchema.parse(event));

    fc.assert(
      fc.property(batches, fc.func(fc.integer()), (sent, order) => {
        const inOrder = storeArrivals(sent.map(submittedBatch));
        const shuffled = storeArrivals(sent.map((batch, i) => ({ batch, key: order(i) })).sort((a, b) => a.key - b.key).map(({ batch }) => submittedBatch(batch)));
        const a = comparable(summarizeAttempt('3', 1, inOrder));
        const b = comparable(summarizeAttempt('3', 1, shuffled));
        expect({ ...b, maxReceiveLagMs: 0 }).toEqual({ ...a, maxReceiveLagMs: 0 });
        expect(b.maxReceiveLagMs).toBe(Math.max(...shuffled.map((event) => Date.parse(event.receivedAt) - Date.parse(event.createdAt))));
      }),
    );
  });

  it('renders every field in the documented order, with the values of the summary', () => {
    fc.assert(
      fc.property(attemptEvents({ maxLength: 20 }), (events) => {
        const summary = summarizeAttempt('sis:3', 2, storedOf(events));
        const rendered = JSON.parse(summaryJson(summary));
        expect(Object.keys(rendered)).toEqual(CONTRACT_KEYS);
        expect(Object.entries(rendered.event_counts)).toEqual(expect.arrayContaining([...summary.eventCounts]));
        expect(Object.keys(rendered.event_counts)).toHaveLength(summary.eventCounts.size);
        expect(Object.keys(rendered.questions)).toHaveLength(summary.questions.size);
        expect(rendered.unfocused_intervals).toEqual(
          summary.unfocusedIntervals.map((i) => ({ started_at: i.startedAt, ended_at: i.endedAt, duration_ms: i.durationMs, open: i.open })),
        );
      }),
    );
  });
});

const CONTRACT_KEYS = [
  'submission_id',
  'attempt',
  'event_count',
  'event_counts',
  'first_event_at',
  'last_event_at',
  'duration_ms',
  'session_count',
  'blur_count',
  'unfocused_intervals',
  'unfocused_ms_total',
  'unfocused_ms_max',
  'questions',
  'max_receive_lag_ms',
  'clock_fallback_count',
];

/** A stored event at second `s` after 19:00, received 14 s after it, with a Canvas-style client timestamp. */
const at = (s: number, eventType: string, eventDataJson = 'null', extra: Partial<SummarizedEvent> = {}): SummarizedEvent => {
  const createdAt = new Date(Date.parse('2014-10-08T19:00:00.000Z') + s * 1000).toISOString();
  return { createdAt, eventType, eventDataJson, clientTimestamp: createdAt, receivedAt: new Date(Date.parse(createdAt) + 14_000).toISOString(), ...extra };
};
const summarize = (events: SummarizedEvent[]) => summarizeAttempt('3', 1, events);
const rendered = (events: SummarizedEvent[]) => JSON.parse(summaryJson(summarize(events)));

describe('attempt summary: examples', () => {
  it('summarizes the example of docs/api.md exactly as documented', async () => {
    const docs = await readFile(new URL('../../docs/api.md', import.meta.url), 'utf8');
    const documented = /## Summaries[\s\S]*?```json\n([\s\S]*?)```/.exec(docs)![1]!;
    const body = summaryJson(
      summarize([
        at(0, 'session_started'),
        at(5, 'question_viewed', '["1"]'),
        at(60, 'page_blurred'),
        at(150, 'page_focused'),
        at(240, 'question_answered', '[{"quiz_question_id":"1","answer":"a"}]'),
        at(300, 'question_viewed', '["1","2"]'),
        at(600, 'question_flagged', '{"questionId":"1","flagged":true}'),
        at(660, 'page_blurred'),
        at(720, 'page_blurred'),
      ]),
    );
    expect(body).toBe(JSON.stringify(JSON.parse(documented)));
  });

  it('reads Canvas’s real question event shapes', () => {
    const { questions } = summarize([
      at(1, 'question_viewed', '["1","2"]'),
      at(2, 'question_flagged', '{"questionId":"1","flagged":true}'),
      at(3, 'question_answered', '[{"quiz_question_id":"1","answer":"a"}]'),
      at(4, 'question_answered', '[{"quiz_question_id":"1","answer":"b"},{"quiz_question_id":"3","answer":["x","y"]}]'),
      at(5, 'question_viewed', '["2"]'),
      at(6, 'question_flagged', '{"questionId":"1","flagged":false}'),
      at(7, 'question_flagged', '{"questionId":"2","flagged":true}'),
    ]);
    expect([...questions]).toEqual([
      ['1', { firstViewedAt: '2014-10-08T19:00:01.000Z', viewCount: 1, flagged: false, answerCount: 2 }],
      ['2', { firstViewedAt: '2014-10-08T19:00:01.000Z', viewCount: 2, flagged: true, answerCount: 0 }],
      ['3', { firstViewedAt: null, viewCount: 0, flagged: false, answerCount: 1 }],
    ]);
  });

  it('takes numeric question ids as their text, big ones digit for digit', () => {
    const { questions } = summarize([
      at(1, 'question_viewed', '[7,"7",12345678901234567890]'),
      at(2, 'question_flagged', '{"questionId":7,"flagged":true}'),
      at(3, 'question_answered', '[{"quiz_question_id":12345678901234567890,"answer":null}]'),
    ]);
    expect([...questions.keys()]).toEqual(['7', '12345678901234567890']);
    expect(questions.get('7')).toMatchObject({ viewCount: 2, flagged: true });
    expect(questions.get('12345678901234567890')).toMatchObject({ viewCount: 1, answerCount: 1 });
  });

  it('orders question ids numerically, then the others', () => {
    const { questions } = summarize([at(1, 'question_viewed', '["b","10","2","a","1","007"]')]);
    expect([...questions.keys()]).toEqual(['1', '2', '10', '007', 'a', 'b']);
  });

  it.each([
    ['question_viewed', 'null'],
    ['question_viewed', '"1"'],
    ['question_viewed', '{"0":"1"}'],
    ['question_viewed', '[null,true,{},[],""]'],
    ['question_flagged', '{"questionId":"1"}'],
    ['question_flagged', '{"questionId":"1","flagged":"true"}'],
    ['question_flagged', '["1",true]'],
    ['question_flagged', '{"flagged":true}'],
    ['question_answered', '{"quiz_question_id":"1","answer":"a"}'],
    ['question_answered', '[{"answer":"a"},{"quiz_question_id":null},"1",1]'],
    ['question_answered', '{not json'],
  ])('counts %s with event_data %s and takes nothing else from it', (type, json) => {
    const summary = summarize([at(1, type, json)]);
    expect(summary.eventCount).toBe(1);
    expect([...summary.eventCounts]).toEqual([[type, 1]]);
    expect(summary.questions.size).toBe(0);
  });

  it('keeps the usable entries of a partly malformed list', () => {
    const { questions } = summarize([
      at(1, 'question_viewed', '["1",null,{"id":"2"}]'),
      at(2, 'question_answered', '[{"quiz_question_id":"1","answer":"a"},{"answer":"b"}]'),
    ]);
    expect([...questions]).toEqual([['1', { firstViewedAt: '2014-10-08T19:00:01.000Z', viewCount: 1, flagged: false, answerCount: 1 }]]);
  });

  it('keeps any event type or question id as a key, "__proto__" included', () => {
    const summary = summarize([at(1, '__proto__'), at(2, 'question_viewed', '["__proto__"]')]);
    const body = JSON.parse(summaryJson(summary));
    expect(Object.keys(body.event_counts)).toEqual(['__proto__', 'question_viewed']);
    expect(Object.keys(body.questions)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(body.questions)).toBe(Object.prototype);
  });

  it('summarizes an attempt without events as zeros and nulls', () => {
    expect(rendered([])).toEqual({
      submission_id: '3',
      attempt: 1,
      event_count: 0,
      event_counts: {},
      first_event_at: null,
      last_event_at: null,
      duration_ms: null,
      session_count: 0,
      blur_count: 0,
      unfocused_intervals: [],
      unfocused_ms_total: 0,
      unfocused_ms_max: 0,
      questions: {},
      max_receive_lag_ms: null,
      clock_fallback_count: 0,
    });
  });

  it('summarizes a single event', () => {
    expect(rendered([at(30, 'session_started')])).toMatchObject({
      event_count: 1,
      event_counts: { session_started: 1 },
      first_event_at: '2014-10-08T19:00:30.000Z',
      last_event_at: '2014-10-08T19:00:30.000Z',
      duration_ms: 0,
      session_count: 1,
      unfocused_intervals: [],
      max_receive_lag_ms: 14_000,
    });
  });

  it('ends an interval still open at a blur that is the last event with 0 ms', () => {
    const summary = summarize([at(0, 'session_started'), at(10, 'page_blurred')]);
    expect(summary.unfocusedIntervals).toEqual([
      { startedAt: '2014-10-08T19:00:10.000Z', endedAt: '2014-10-08T19:00:10.000Z', durationMs: 0, open: true },
    ]);
    expect(summary.unfocusedMsTotal).toBe(0);
    expect(summary.blurCount).toBe(1);
  });

  it('starts an interval at the first of repeated blurs, and counts every blur', () => {
    const summary = summarize([at(10, 'page_blurred'), at(20, 'page_blurred'), at(25, 'page_blurred'), at(40, 'page_focused')]);
    expect(summary.unfocusedIntervals).toEqual([
      { startedAt: '2014-10-08T19:00:10.000Z', endedAt: '2014-10-08T19:00:40.000Z', durationMs: 30_000, open: false },
    ]);
    expect(summary.blurCount).toBe(3);
  });

  it('ignores a focus without a blur before it', () => {
    const summary = summarize([at(0, 'page_focused'), at(5, 'page_blurred'), at(8, 'page_focused'), at(9, 'page_focused')]);
    expect(summary.unfocusedIntervals).toEqual([
      { startedAt: '2014-10-08T19:00:05.000Z', endedAt: '2014-10-08T19:00:08.000Z', durationMs: 3_000, open: false },
    ]);
  });

  it('keeps a blur and a focus at the same millisecond as an interval of 0 ms', () => {
    const summary = summarize([at(5, 'page_blurred'), at(5, 'page_focused'), at(6, 'page_blurred'), at(9, 'page_focused')]);
    expect(summary.unfocusedIntervals.map((interval) => interval.durationMs)).toEqual([0, 3_000]);
    expect(summary.unfocusedMsTotal).toBe(3_000);
  });

  it('measures intervals of hours', () => {
    const summary = summarize([at(0, 'page_blurred'), at(5 * 3600, 'page_focused'), at(5 * 3600 + 1, 'page_blurred'), at(30 * 3600, 'session_started')]);
    expect(summary.unfocusedIntervals.map((interval) => [interval.durationMs, interval.open])).toEqual([
      [5 * 3_600_000, false],
      [(25 * 3600 - 1) * 1000, true],
    ]);
    expect(summary.durationMs).toBe(30 * 3_600_000);
  });

  it('counts events placed at their receipt time for want of a usable client time', () => {
    const received = '2014-10-08T19:00:10.000Z';
    const summary = summarize([
      { createdAt: received, eventType: 'page_blurred', eventDataJson: 'null', receivedAt: received },
      { createdAt: received, eventType: 'page_blurred', eventDataJson: 'null', clientTimestamp: '2014-10-08T19:05:10.001Z', receivedAt: received },
      { createdAt: '2014-10-08T19:05:10.000Z', eventType: 'page_focused', eventDataJson: 'null', clientTimestamp: '2014-10-08T21:05:10+02:00', receivedAt: received },
      { createdAt: '2014-10-08T19:05:10.000Z', eventType: 'page_focused', eventDataJson: 'null', clientTimestamp: '2014-10-08T19:05:10.000Z', receivedAt: received },
    ]);
    expect(summary.clockFallbackCount).toBe(2);
    expect(summary.maxReceiveLagMs).toBe(0);
  });

  it('reports a negative lag when every client clock ran ahead', () => {
    const summary = summarize([
      { createdAt: '2014-10-08T19:01:00.000Z', eventType: 'x', eventDataJson: 'null', clientTimestamp: '2014-10-08T19:01:00.000Z', receivedAt: '2014-10-08T19:00:00.000Z' },
    ]);
    expect(summary.maxReceiveLagMs).toBe(-60_000);
    expect(summary.clockFallbackCount).toBe(0);
  });

  it('refuses events out of created_at order, which would be a reader bug', () => {
    const summarizer = new AttemptSummarizer('3', 1);
    summarizer.add(at(5, 'page_blurred'));
    expect(() => summarizer.add(at(4, 'page_focused'))).toThrow(RangeError);
  });
});
