import { LOCAL_TABLE_NAME, type LocalServer, startLocalServer } from '#local/server.ts';
import { authorizeBySubjectHeader } from '../test/support/local-http.ts';
import { type BenchQuiz, benchQuiz, clientEvents, postAttempt, type QuizAttempt, seedQuiz } from './feed-quiz.ts';

/**
 * The reporting benchmarks' server: the real local server (the reader and writer handlers over the
 * embedded store, in this process), letting every request through as the subject its test header
 * names, with an SDK middleware counting the DynamoDB calls its handlers make. The quizzes are seeded
 * once, when a part first asks for them; seeding is not measured.
 */
export interface ReportingServer {
  server: LocalServer;
  tableName: string;
  /** DynamoDB calls through the server's client since the last reset. */
  calls: { count: number };
  /** The quiz of `eventCount` events over `submissions` submissions, seeded on first use. */
  quiz(size: QuizSize): Promise<BenchQuiz>;
  /** One attempt of `eventCount` events, alone in a quiz of its own (`quizId`), seeded on first use. */
  longAttempt(eventCount: number): Promise<QuizAttempt & { quizId: string }>;
  close(): Promise<void>;
}

export interface QuizSize {
  submissions: number;
  eventCount: number;
}

export async function startReportingServer(): Promise<ReportingServer> {
  const server = await startLocalServer({ port: 0, authorize: authorizeBySubjectHeader });
  const calls = { count: 0 };
  server.documentClient.middlewareStack.add(
    (next) => (args) => {
      calls.count++;
      return next(args);
    },
    { step: 'initialize', name: 'countBenchCalls' },
  );
  const seeded = new Map<string, Promise<BenchQuiz>>();
  return {
    server,
    tableName: LOCAL_TABLE_NAME,
    calls,
    quiz(size) {
      const quizId = `feed-${size.submissions}-${size.eventCount}`;
      let quiz = seeded.get(quizId);
      if (!quiz) {
        const built = benchQuiz({ quizId, ...size });
        quiz = seedQuiz(server.url, built).then(() => built);
        seeded.set(quizId, quiz);
      }
      return quiz;
    },
    longAttempt(eventCount) {
      const quizId = `long-${eventCount}`;
      let attempt = seeded.get(quizId);
      if (!attempt) {
        const built = { quizId, attempts: [{ submissionId: 'long', attempt: 1, events: clientEvents(eventCount, Date.parse('2014-10-08T19:00:00.000Z')) }], eventCount };
        attempt = postAttempt(server.url, quizId, built.attempts[0]!).then(() => built);
        seeded.set(quizId, attempt);
      }
      return attempt.then(({ quizId: id, attempts }) => ({ quizId: id, ...attempts[0]! }));
    },
    close: () => server.close(),
  };
}

let shared: Promise<ReportingServer> | undefined;

/** One server for every reporting part of a run, so each quiz is seeded once. */
export const reportingServer = (): Promise<ReportingServer> => (shared ??= startReportingServer());

export async function closeReportingServer(): Promise<void> {
  if (shared) await (await shared).close();
  shared = undefined;
}
