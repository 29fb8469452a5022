/**
 * The summary of a 10,000-event attempt: GET …/events/summary through the local server against a bare
 * read of the same events (a Query loop that only decodes the items), over the same store; and the
 * summarizer's own CPU, against merely decoding the same events from DynamoDB's wire format.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { summarizeAttempt, type SummarizedEvent } from '#lib/domain/attempt-summary.ts';
import { summaryJson } from '#lib/http/summary-body.ts';
import { ROUTES } from '#lib/routes.ts';
import { BENCH_COURSE } from './feed-quiz.ts';
import { reportingServer } from './reporting-server.ts';
import { median, type Metric, ratioMetric, withPairedRatio } from './results.ts';

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

/**
 * Goal: a summary costs little more than reading its events, within the 1.3× the other overhead goals
 * allow. Beyond the read: the summarizer's CPU, one GetItem for the current attempt, one HTTP round trip.
 */
export const SUMMARY_READ_GOAL = 1.3;

/** The bare read: every item of the attempt, Query after Query (1 MB each), decoded and nothing more. */
async function bareRead(client: DynamoDBDocumentClient, tableName: string, pk: string): Promise<number> {
  const events: SummarizedEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const { Items = [], LastEvaluatedKey } = await client.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    for (const item of Items) {
      events.push({ createdAt: item.sk.slice(0, 24), eventType: item.eventType, eventDataJson: item.eventData, clientTimestamp: item.clientTimestamp, receivedAt: item.receivedAt });
    }
    start = LastEvaluatedKey;
  } while (start);
  return events.length;
}

/** GET …/events/summary of a long attempt through the local server, against the bare read of its events; runs alternate. */
export async function measureSummaryRead({ count = 10_000, rounds = 21 } = {}): Promise<Record<string, Metric>> {
  const reporting = await reportingServer();
  const { quizId, submissionId, attempt } = await reporting.longAttempt(count);
  const path = ROUTES.getEventsSummary.path.replace('{course_id}', BENCH_COURSE).replace('{quiz_id}', quizId).replace('{id}', submissionId);
  const pk = `course#${BENCH_COURSE}#quiz#${quizId}#submission#${submissionId}#attempt#${attempt}`;
  const ours = async () => {
    const answer = await fetch(`${reporting.server.url}${path}?attempt=${attempt}`);
    const summary = (await answer.json()) as { event_count?: number };
    if (answer.status !== 200 || summary.event_count !== count) throw new Error(`summary: ${answer.status} ${JSON.stringify(summary).slice(0, 200)}`);
  };
  const bare = async () => {
    const read = await bareRead(reporting.server.documentClient, reporting.tableName, pk);
    if (read !== count) throw new Error(`bare read: ${read} events, ${count} seeded`);
  };
  const timed = async (work: () => Promise<void>) => {
    reporting.calls.count = 0;
    const started = performance.now();
    await work();
    return { ms: performance.now() - started, calls: reporting.calls.count };
  };
  const oursTimes: number[] = [];
  const bareTimes: number[] = [];
  let calls = { ours: 0, bare: 0 };
  // One untimed run of each first; then alternating which goes first.
  await ours();
  await bare();
  for (let round = 0; round < rounds; round++) {
    const [first, second] = round % 2 === 0 ? [ours, bare] : [bare, ours];
    const a = await timed(first);
    const b = await timed(second);
    const [o, r] = round % 2 === 0 ? [a, b] : [b, a];
    oursTimes.push(o.ms);
    bareTimes.push(r.ms);
    calls = { ours: o.calls, bare: r.calls };
  }
  const n = count.toLocaleString('en');
  return {
    [`summary GET, ${n} events`]: withPairedRatio(
      ratioMetric(
        median(oursTimes),
        median(bareTimes),
        SUMMARY_READ_GOAL,
        'ms',
        `HTTP through the local server vs a bare Query loop that decodes the items; ${calls.ours} vs ${calls.bare} calls; median of ${rounds}`,
      ),
      oursTimes.map((ms, round) => ms / bareTimes[round]!),
    ),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(timeSummary());
}
