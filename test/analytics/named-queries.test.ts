import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGE_FILTER_PATTERNS } from '../../infra/analytics/change-records.ts';
import { LONGEST_TIME_AWAY_LIMIT, namedQueries } from '../../infra/analytics/named-queries.ts';
import { CHANGES_FOLDER, PARTITION_COLUMN, PIPE_BATCH } from '../../infra/analytics/storage-layout.ts';
import { type AthenaOnDuckDb, athenaOnDuckDb } from '../support/athena-on-duckdb.ts';
import { changesBetween, snapshot, type StreamRecord } from '../support/change-stream.ts';
import { matchesAnyPattern } from '../support/event-pattern.ts';
import { type Delivery, writeFirehoseObjects } from '../support/firehose-objects.ts';
import { useHandlersOnTestStore } from '../support/handlers.ts';
import { type ClientEvent, submission, type SubmissionPath } from '../support/http-events.ts';
import { TEST_TABLE } from '../support/test-store.ts';

/**
 * The named queries, run as the stack saves them, on DuckDB over the very files the pipeline would
 * write for events stored through the real handlers. What they answer must equal what the API says
 * about the same events.
 */

const SOURCE = { database: 'quiz_submission_events_test', table: 'item_changes' };
const QUERIES = namedQueries(SOURCE);

const at = (iso: string, event_type: string, event_data: unknown = null): ClientEvent => ({ client_timestamp: iso, event_type, event_data });

interface Batch {
  path: SubmissionPath;
  owner: string;
  attempt: number;
  events: ClientEvent[];
}

/** Quiz attempts with every case of the time-away rules, two courses, a quiz id reused across courses. */
const BATCHES: Batch[] = [
  {
    // Across midnight UTC: a second blur while away and a second focus while back change nothing.
    path: submission('s1', 'c1', 'q1'),
    owner: 'student-a',
    attempt: 1,
    events: [
      at('2014-10-08T23:58:00.000Z', 'session_started'),
      at('2014-10-08T23:58:30.000Z', 'question_viewed', ['1']),
      at('2014-10-08T23:59:00.000Z', 'page_blurred'),
      at('2014-10-08T23:59:10.000Z', 'page_blurred'),
      at('2014-10-08T23:59:40.000Z', 'page_focused'),
      at('2014-10-08T23:59:50.000Z', 'page_focused'),
      at('2014-10-09T00:00:30.000Z', 'page_blurred'),
      at('2014-10-09T00:01:00.000Z', 'question_answered', [{ quiz_question_id: '1', answer: 'a' }]),
      at('2014-10-09T00:02:00.000Z', 'page_focused'),
      at('2014-10-09T00:03:00.000Z', 'question_viewed', ['2']),
    ],
  },
  {
    // The second attempt: a focus while focused, then away until the last event (an open interval).
    path: submission('s1', 'c1', 'q1'),
    owner: 'student-a',
    attempt: 2,
    events: [
      at('2014-10-10T10:00:00.000Z', 'session_started'),
      at('2014-10-10T10:00:05.000Z', 'page_focused'),
      at('2014-10-10T10:01:00.000Z', 'page_blurred'),
      at('2014-10-10T10:05:00.123Z', 'question_viewed', ['1']),
    ],
  },
  {
    // Never away.
    path: submission('s2', 'c1', 'q1'),
    owner: 'student-b',
    attempt: 1,
    events: [at('2014-10-08T19:00:00.000Z', 'session_started'), at('2014-10-08T19:00:01.000Z', 'question_viewed', ['1', '2'])],
  },
  {
    // A blur and a focus at the same millisecond (their sort keys decide), and a blur as the last event.
    path: submission('s3', 'c1', 'q1'),
    owner: 'student-c',
    attempt: 1,
    events: [
      at('2014-10-08T12:00:00.000Z', 'session_started'),
      at('2014-10-08T12:00:05.000Z', 'page_blurred'),
      at('2014-10-08T12:00:05.000Z', 'page_focused'),
      at('2014-10-08T12:00:15.000Z', 'page_blurred'),
    ],
  },
  {
    // The same submission id in another quiz; away from the first event on.
    path: submission('s1', 'c1', 'q2'),
    owner: 'student-d',
    attempt: 1,
    events: [at('2014-10-08T09:00:00.000Z', 'page_blurred'), at('2014-10-08T09:30:00.000Z', 'page_focused'), at('2014-10-08T09:31:00.000Z', 'question_flagged', { questionId: '3', flagged: true })],
  },
  {
    // The same quiz id in another course; milliseconds count.
    path: submission('s1', 'c2', 'q1'),
    owner: 'student-e',
    attempt: 1,
    events: [at('2014-10-08T08:00:00.000Z', 'session_started'), at('2014-10-08T08:00:00.500Z', 'page_blurred'), at('2014-10-08T08:00:03.000Z', 'page_focused')],
  },
];

/** The quiz client resends its whole buffer after a lost answer: the same events, received again later. */
const RESENT = BATCHES[5]!;

const harness = useHandlersOnTestStore('analytics');
let bucketDir: string;
let records: StreamRecord[];
let duckDb: AthenaOnDuckDb;
/** What the API says: each attempt's events, walked page by page, with the submission's owner. */
const apiAttempts: { path: SubmissionPath; attempt: number; owner: string; figures: ReturnType<typeof figuresOf>; events: { event_type: string; created_at: string }[] }[] = [];

beforeAll(async () => {
  // Arrange: each POST through the real writer; the table's changes captured as its stream publishes them
  const { db, api } = harness;
  records = [];
  let before = await snapshot(db.endpoint, TEST_TABLE);
  const captureChanges = async () => {
    const after = await snapshot(db.endpoint, TEST_TABLE);
    records.push(...changesBetween(before, after, new Date()));
    before = after;
  };
  for (const { path, owner, attempt, events } of [...BATCHES, RESENT]) {
    const answer = await api.post(path, events, { subject: owner, extra: { attempt } });
    expect(answer.status).toBe(204);
    await captureChanges();
  }

  // The pipe filters, then Firehose writes what arrives, four minutes apart, into buffers and day folders
  const arrivals = records.filter((record) => matchesAnyPattern(record, CHANGE_FILTER_PATTERNS));
  const firstArrival = Date.parse('2026-11-26T23:50:00.000Z');
  const deliveries: Delivery[] = arrivals.map((record, index) => ({
    record,
    arrivedAt: new Date(firstArrival + Math.floor(index / 6) * 4 * 60_000 + PIPE_BATCH.windowSeconds * 1000),
  }));
  bucketDir = mkdtempSync(join(tmpdir(), 'analytics-bucket-'));
  writeFirehoseObjects(bucketDir, deliveries);
  duckDb = await athenaOnDuckDb(SOURCE, bucketDir);

  // The expected side: the API's own summary of each attempt (GET …/events/summary?attempt=N), and its events.
  for (const { path, attempt, owner } of BATCHES) {
    const { pages } = await api.walk(path, `attempt=${attempt}&per_page=3`);
    const summary = await api.call('getEventsSummary', { course_id: path.courseId, quiz_id: path.quizId, id: path.submissionId }, `attempt=${attempt}`);
    apiAttempts.push({ path, attempt, owner, figures: figuresOf(summary.json), events: pages.flat() });
  }
});

afterAll(() => duckDb?.close());

/** The figures the named queries compute, as the summary route states them. */
const figuresOf = (summary: {
  event_count: number;
  first_event_at: string;
  last_event_at: string;
  blur_count: number;
  unfocused_intervals: { open: boolean }[];
  unfocused_ms_total: number;
  unfocused_ms_max: number;
}) => ({
  event_count: summary.event_count,
  first_event_at: summary.first_event_at,
  last_event_at: summary.last_event_at,
  blur_count: summary.blur_count,
  unfocused_count: summary.unfocused_intervals.length,
  open_count: summary.unfocused_intervals.filter(({ open }) => open).length,
  unfocused_ms_total: summary.unfocused_ms_total,
  unfocused_ms_max: summary.unfocused_ms_max,
});

const keyOf = ({ path, attempt }: { path: SubmissionPath; attempt: number }) => ({
  course_id: path.courseId,
  quiz_id: path.quizId,
  submission_id: path.submissionId,
  attempt,
});
const byKey = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  JSON.stringify([a.course_id, a.quiz_id, a.submission_id, a.attempt]) < JSON.stringify([b.course_id, b.quiz_id, b.submission_id, b.attempt]) ? -1 : 1;

describe('the files the pipeline writes', () => {
  it('are gzipped JSON lines under one folder per day of arrival, as Firehose names them', () => {
    // Act
    const days = readdirSync(join(bucketDir, CHANGES_FOLDER)).sort();
    const objects = days.flatMap((day) => readdirSync(join(bucketDir, CHANGES_FOLDER, day)).map((name) => join(bucketDir, CHANGES_FOLDER, day, name)));
    const lines = objects.flatMap((object) => gunzipSync(readFileSync(object)).toString('utf8').split('\n'));

    // Assert
    expect(days).toEqual([`${PARTITION_COLUMN}=2026-11-26`, `${PARTITION_COLUMN}=2026-11-27`]);
    expect(objects.length).toBeGreaterThan(days.length);
    for (const object of objects) expect(object).toMatch(/QuizSubmissionEvents-test-AnalyticsDelivery-1-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d-[0-9a-f-]{36}\.gz$/);
    expect(lines.filter((line) => line === '')).toHaveLength(objects.length);
    for (const line of lines.filter(Boolean)) expect(JSON.parse(line)).toMatchObject({ eventSource: 'aws:dynamodb', dynamodb: { StreamViewType: 'NEW_IMAGE' } });
  });

  it('hold every event write, the resent ones again, and each submission once, but no roster item and no later submission update', () => {
    // Arrange
    const kept = records.filter((record) => matchesAnyPattern(record, CHANGE_FILTER_PATTERNS));
    const eventCount = BATCHES.reduce((sum, batch) => sum + batch.events.length, 0);

    // Assert: the resend rewrote its events with a later receivedAt, so they changed and flowed again
    expect(kept.filter((record) => record.dynamodb.NewImage?.eventType)).toHaveLength(eventCount + RESENT.events.length);
    expect(kept.filter((record) => record.dynamodb.NewImage?.owner).map((record) => record.eventName)).toEqual(Array(5).fill('INSERT'));
    expect(records.some((record) => record.dynamodb.Keys.pk!.S === 'course#c1#quiz#q1')).toBe(true);
    expect(kept.some((record) => record.dynamodb.Keys.pk!.S === 'course#c1#quiz#q1')).toBe(false);
    expect(records.filter((record) => record.eventName === 'MODIFY' && record.dynamodb.NewImage?.owner).length).toBeGreaterThan(0);
  });
});

describe('the named queries, on DuckDB over those files', () => {
  it("time-away-per-attempt: each attempt's time away equals what the API's events give", async () => {
    // Arrange
    const expected = apiAttempts.map((attempt) => ({ ...keyOf(attempt), ...attempt.figures })).sort(byKey);

    // Act
    const rows = await duckDb.run(QUERIES.timeAwayPerAttempt.sql);

    // Assert
    expect(rows).toEqual(expected);
    expect(rows.map((row) => row.unfocused_ms_total)).toEqual(expect.arrayContaining([40_000 + 90_000, 0, 1_800_000, 2_500]));
  });

  it('submissions-with-the-longest-time-away: the attempts away longest, with their owners', async () => {
    // Arrange
    const expected = apiAttempts
      .filter(({ figures }) => figures.unfocused_ms_total > 0)
      .sort((a, b) => b.figures.unfocused_ms_total - a.figures.unfocused_ms_total || byKey(keyOf(a), keyOf(b)))
      .slice(0, LONGEST_TIME_AWAY_LIMIT)
      .map((attempt) => ({
        ...keyOf(attempt),
        owner: attempt.owner,
        unfocused_ms_total: attempt.figures.unfocused_ms_total,
        unfocused_ms_max: attempt.figures.unfocused_ms_max,
        unfocused_count: attempt.figures.unfocused_count,
        event_count: attempt.figures.event_count,
      }));

    // Act
    const rows = await duckDb.run(QUERIES.longestTimeAway.sql);

    // Assert
    expect(rows).toEqual(expected);
    expect(rows[0]).toMatchObject({ course_id: 'c1', quiz_id: 'q2', submission_id: 's1', owner: 'student-d' });
  });

  it('events-of-each-quiz-by-type: counts each event once, however often it was resent', async () => {
    // Arrange
    const counts = new Map<string, { events: number; submissions: Set<string> }>();
    for (const { path, events } of apiAttempts) {
      for (const event of events) {
        const key = JSON.stringify([path.courseId, path.quizId, event.event_type]);
        const entry = counts.get(key) ?? { events: 0, submissions: new Set() };
        entry.events += 1;
        entry.submissions.add(path.submissionId);
        counts.set(key, entry);
      }
    }
    const expected = [...counts]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, { events, submissions }]) => {
        const [course_id, quiz_id, event_type] = JSON.parse(key) as string[];
        return { course_id, quiz_id, event_type, events, submissions: submissions.size };
      });

    // Act
    const rows = await duckDb.run(QUERIES.eventsByType.sql);

    // Assert
    expect(rows).toEqual(expected);
  });

  it('events-per-day: events by the UTC day of created_at, and the attempts that sent them', async () => {
    // Arrange
    const days = new Map<string, { events: number; attempts: Set<string> }>();
    for (const attempt of apiAttempts) {
      for (const event of attempt.events) {
        const day = event.created_at.slice(0, 10);
        const entry = days.get(day) ?? { events: 0, attempts: new Set() };
        entry.events += 1;
        entry.attempts.add(JSON.stringify(keyOf(attempt)));
        days.set(day, entry);
      }
    }
    const expected = [...days].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, { events, attempts }]) => ({ day, events, attempts: attempts.size }));

    // Act
    const rows = await duckDb.run(QUERIES.eventsPerDay.sql);

    // Assert
    expect(rows).toEqual(expected);
    expect(rows.map((row) => row.day)).toEqual(['2014-10-08', '2014-10-09', '2014-10-10']);
  });
});
