import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '#local/server.ts';
import { authorizeBySubjectHeader, readAllEvents, SUBJECT_HEADER } from '../support/local-http.ts';
import { postQuizLogSeed, QUIZ_LOG_SEED, studentOf } from '../support/quiz-log-seed.ts';

/** The browser tests' seed is what a quiz client may send: the real API stores it as written. */
describe('the quiz log seed', () => {
  let server: LocalServer;

  beforeAll(async () => {
    server = await startLocalServer({ port: 0, authorize: authorizeBySubjectHeader });
  });
  afterAll(() => server?.close());

  it('is accepted by the local server, and each attempt reads back event for event, in order', async () => {
    // Act
    await postQuizLogSeed(server.url, (submission) => ({ [SUBJECT_HEADER]: studentOf(submission) }));

    // Assert
    for (const { submission, attempt, events } of [QUIZ_LOG_SEED.attempts.find((candidate) => candidate.submission === QUIZ_LOG_SEED.showcase.submission && candidate.attempt === QUIZ_LOG_SEED.showcase.attempt)!, QUIZ_LOG_SEED.attempts.find((candidate) => candidate.submission === QUIZ_LOG_SEED.longLog.submission)!]) {
      const stored = await readAllEvents(server.url, { courseId: QUIZ_LOG_SEED.course, quizId: QUIZ_LOG_SEED.quiz, submissionId: submission }, { subject: 'teacher', query: `attempt=${attempt}&per_page=100` });
      expect(stored.map((event) => [event.event_type, event.event_data, event.client_timestamp])).toEqual(events.map((event) => [event.event_type, event.event_data, event.client_timestamp]));
    }
  });
});
