/**
 * The reporting benchmarks' data: a quiz as a class takes it (submissions of 1 to 3 attempts, Canvas's
 * event mix), and one long attempt, seeded through the local server as quiz clients POST them.
 */
import { batchBody, type ClientEvent, eventsPath } from '../test/support/http-events.ts';
import { SUBJECT_HEADER } from '../test/support/local-http.ts';
import { canvasLikeAttempt } from './summary.ts';

export const BENCH_COURSE = '1';

export interface QuizAttempt {
  submissionId: string;
  attempt: number;
  events: ClientEvent[];
}

export interface BenchQuiz {
  quizId: string;
  attempts: QuizAttempt[];
  eventCount: number;
}

/** Canvas's client sends at most this many events a batch; a longer attempt goes in several POSTs. */
const BATCH = 1000;

/** An attempt of Canvas-like events (bench/summary.ts) as a quiz client sends them. */
export function clientEvents(count: number, startMs: number): ClientEvent[] {
  return canvasLikeAttempt(count, startMs).map((event) => ({
    event_type: event.eventType,
    event_data: JSON.parse(event.eventDataJson) as unknown,
    client_timestamp: event.clientTimestamp,
  }));
}

/**
 * `eventCount` events over `submissions` submissions (ids s0001…, so that byte order is numeric order)
 * of 1, 2 or 3 attempts in turn; attempt lengths vary around the mean in pairs that keep the total exact.
 */
export function benchQuiz({ quizId, submissions, eventCount }: { quizId: string; submissions: number; eventCount: number }): BenchQuiz {
  const shape: { submissionId: string; attempt: number }[] = [];
  for (let s = 1; s <= submissions; s++) {
    const submissionId = `s${String(s).padStart(4, '0')}`;
    for (let attempt = 1; attempt <= 1 + ((s - 1) % 3); attempt++) shape.push({ submissionId, attempt });
  }
  const mean = Math.floor(eventCount / shape.length);
  const spare = eventCount - mean * shape.length;
  const attempts = shape.map(({ submissionId, attempt }, i) => {
    const pair = i >> 1;
    const swing = i === shape.length - 1 && i % 2 === 0 ? 0 : Math.min(mean - 1, (pair * 7) % 30) * (i % 2 ? -1 : 1);
    const length = mean + swing + (i < spare ? 1 : 0);
    // Each attempt an hour after the last, each submission a few seconds after the one before.
    const startMs = Date.parse('2014-10-08T19:00:00.000Z') + attempt * 3_600_000 + i * 1_000;
    return { submissionId, attempt, events: clientEvents(length, startMs) };
  });
  return { quizId, attempts, eventCount };
}

/** POSTs one attempt's events as its student would, in batches of at most 1000. */
export async function postAttempt(serverUrl: string, quizId: string, { submissionId, attempt, events }: QuizAttempt): Promise<void> {
  const path = { courseId: BENCH_COURSE, quizId, submissionId };
  for (let from = 0; from < events.length; from += BATCH) {
    const answer = await fetch(`${serverUrl}${eventsPath(path)}?attempt=${attempt}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SUBJECT_HEADER]: `student-${submissionId}` },
      body: batchBody(events.slice(from, from + BATCH)),
    });
    if (answer.status !== 204) throw new Error(`seeding ${submissionId} attempt ${attempt}: ${answer.status} ${await answer.text()}`);
  }
}

/**
 * POSTs every attempt to the local server as its student would (the subject header names the owner),
 * attempts in order, several submissions at a time.
 */
export async function seedQuiz(serverUrl: string, quiz: BenchQuiz, { concurrency = 8 } = {}): Promise<void> {
  const bySubmission = new Map<string, QuizAttempt[]>();
  for (const attempt of quiz.attempts) bySubmission.set(attempt.submissionId, [...(bySubmission.get(attempt.submissionId) ?? []), attempt]);
  const queue = [...bySubmission.values()];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      for (const attempt of next) await postAttempt(serverUrl, quiz.quizId, attempt);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
