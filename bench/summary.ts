/**
 * The summary's own cost: summarizing a 10,000-event attempt against merely decoding the same events
 * from DynamoDB's wire format (what any read of them costs before the network). The store's round
 * trips are the same for both and are measured where the store is (bench/run.ts).
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { summarizeAttempt, type SummarizedEvent } from '#lib/domain/attempt-summary.ts';
import { summaryJson } from '#lib/http/summary-body.ts';
import { median, type Metric, ratioMetric } from './results.ts';

/** DynamoDB stops a Query at 1 MB; these events are ~250 bytes, so a page holds about this many. */
const EVENTS_PER_QUERY_PAGE = 4000;

/**
 * A long attempt as Canvas's client writes it: mostly question views and focus changes, some flags,
 * the server's answer events, sent in 15-second batches with Canvas's own timestamp format.
 */
export function canvasLikeAttempt(count = 10_000, startMs = Date.parse('2014-10-08T19:00:00.000Z')): SummarizedEvent[] {
  const events: SummarizedEvent[] = [];
  for (let i = 0; i < count; i++) {
    const createdMs = startMs + i * 700 + (i % 7);
    const createdAt = new Date(createdMs).toISOString();
    const receivedAt = new Date(startMs + Math.ceil((i * 700 + 1) / 15_000) * 15_000 + 412).toISOString();
    const question = String(1000 + (i % 40));
    const slot = i % 50;
    const [eventType, eventDataJson] =
      i === 0 || slot === 49
        ? ['session_started', 'null']
        : slot % 5 === 0
          ? ['page_blurred', 'null']
          : slot % 5 === 1
            ? ['page_focused', 'null']
            : slot % 5 === 2
              ? ['question_answered', `[{"quiz_question_id":"${question}","answer":"${'a'.repeat(i % 30)}"}]`]
              : slot % 10 === 3
                ? ['question_flagged', `{"questionId":"${question}","flagged":${i % 3 === 0}}`]
                : ['question_viewed', `["${question}","${Number(question) + 1}"]`];
    // One event in ten comes from a client that writes another form (an offset, no fraction).
    const clientTimestamp = i % 10 === 9 ? `${createdAt.slice(0, 19)}+00:00` : createdAt;
    events.push({ createdAt: i % 10 === 9 ? `${createdAt.slice(0, 19)}.000Z` : createdAt, eventType, eventDataJson, clientTimestamp, receivedAt });
  }
  // The offset form drops the milliseconds: keep created_at order as the store would.
  return events.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/** The attempt as the bodies of the DynamoDB Query responses that would return it. */
export function queryResponseBodies(events: readonly SummarizedEvent[]): string[] {
  const bodies: string[] = [];
  for (let from = 0; from < events.length; from += EVENTS_PER_QUERY_PAGE) {
    const items = events.slice(from, from + EVENTS_PER_QUERY_PAGE).map((event, i): Record<string, AttributeValue> => ({
      pk: { S: 'course#1#quiz#2#submission#3#attempt#1' },
      sk: { S: `${event.createdAt}#${String(from + i).padStart(22, 'A')}` },
      eventType: { S: event.eventType },
      eventData: { S: event.eventDataJson },
      ...(event.clientTimestamp !== undefined && { clientTimestamp: { S: event.clientTimestamp } }),
      receivedAt: { S: event.receivedAt },
    }));
    bodies.push(JSON.stringify({ Items: items, Count: items.length }));
  }
  return bodies;
}

/** What every read of the attempt does: parse the responses and turn the items into events. */
export function decodeEvents(bodies: readonly string[]): SummarizedEvent[] {
  const events: SummarizedEvent[] = [];
  for (const body of bodies) {
    for (const raw of (JSON.parse(body) as { Items: Record<string, AttributeValue>[] }).Items) {
      const item = unmarshall(raw);
      events.push({
        createdAt: (item.sk as string).slice(0, 24),
        eventType: item.eventType as string,
        eventDataJson: item.eventData as string,
        clientTimestamp: item.clientTimestamp as string | undefined,
        receivedAt: item.receivedAt as string,
      });
    }
  }
  return events;
}

const timeMs = (work: () => unknown): number => {
  const started = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - started) / 1e6;
};

export interface SummaryBenchFigures {
  events: number;
  /** Medians over the rounds, in ms. */
  decodeMs: number;
  decodeAndSummarizeMs: number;
  summarizeOnlyMs: number;
}

/** Interleaves the three timings round by round, so machine load hits them alike. */
export function timeSummary({ count = 10_000, rounds = 41, warmUp = 10 } = {}): SummaryBenchFigures {
  const events = canvasLikeAttempt(count);
  const bodies = queryResponseBodies(events);
  const decoded: number[] = [];
  const summarized: number[] = [];
  const alone: number[] = [];
  for (let round = -warmUp; round < rounds; round++) {
    const decode = timeMs(() => decodeEvents(bodies));
    const both = timeMs(() => summaryJson(summarizeAttempt('3', 1, decodeEvents(bodies))));
    const pure = timeMs(() => summaryJson(summarizeAttempt('3', 1, events)));
    if (round < 0) continue;
    decoded.push(decode);
    summarized.push(both);
    alone.push(pure);
  }
  return { events: count, decodeMs: median(decoded), decodeAndSummarizeMs: median(summarized), summarizeOnlyMs: median(alone) };
}

/** bench/results.json lines: the summary read against the bare decode of the same events, and the summarizer alone. */
export function measureSummary(options: Parameters<typeof timeSummary>[0] = {}): Record<string, Metric> {
  const { events, decodeMs, decodeAndSummarizeMs, summarizeOnlyMs } = timeSummary(options);
  const n = events.toLocaleString('en');
  return {
    [`summary CPU, ${n} events`]: ratioMetric(decodeAndSummarizeMs, decodeMs, null, 'ms', `decode + summarize + render vs decode only (${EVENTS_PER_QUERY_PAGE}-item Query pages)`),
    [`summarizer alone, ${n} events`]: ratioMetric(summarizeOnlyMs, decodeMs, null, 'ms', 'summarize + render decoded events, vs decoding them'),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(timeSummary());
}
