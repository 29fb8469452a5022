import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventId } from '#lib/domain/stored-event.ts';
import { type FeedItem, minimalFeedPages } from '../../bench/baseline/minimal-feed-reader.ts';
import { BENCH_COURSE, type BenchQuiz } from '../../bench/feed-quiz.ts';
import { ourFeedPages } from '../../bench/feed.ts';
import { type ReportingServer, startReportingServer } from '../../bench/reporting-server.ts';

let reporting: ReportingServer;
let quiz: BenchQuiz;

beforeAll(async () => {
  reporting = await startReportingServer();
  // 24 attempts of 35 to 91 events: pages of 100 end inside attempts and run across submissions.
  quiz = await reporting.quiz({ submissions: 12, eventCount: 1_500 });
});
afterAll(() => reporting.close());

/** A baseline item as the feed renders it. */
const asFeedEvent = ({ sk, submissionId, attempt, ...item }: FeedItem) => ({
  id: eventId(attempt, sk),
  event_type: item.eventType,
  event_data: JSON.parse(item.eventData as string),
  created_at: sk.slice(0, 24),
  client_timestamp: item.clientTimestamp ?? null,
  received_at: item.receivedAt,
  submission_id: submissionId,
  attempt,
});

async function baselinePages(eventType?: string): Promise<FeedItem[][]> {
  const pages: FeedItem[][] = [];
  for await (const page of minimalFeedPages(reporting.server.documentClient, reporting.tableName, { courseId: BENCH_COURSE, quizId: quiz.quizId, eventType })) {
    pages.push(page);
  }
  return pages;
}

describe('the feed benchmark compares like with like', () => {
  it.each([['every event', undefined], ['page_blurred only', 'page_blurred']] as const)(
    '%s: the bare Query loop returns the same events as the API, in the same order',
    async (_name, eventType) => {
      // Arrange
      const ours: unknown[] = [];

      // Act
      for await (const events of ourFeedPages(reporting.server.url, quiz.quizId, eventType)) ours.push(...events);
      const pages = await baselinePages(eventType);

      // Assert
      expect(ours.length).toBe(eventType ? pages.flat().length : quiz.eventCount);
      expect(pages.flat().map(asFeedEvent)).toEqual(ours);
      expect(pages.slice(0, -1).every((page) => page.length === 100)).toBe(true);
    },
  );
});
