import type { ClientEvent, SubmissionPath } from './http-events.ts';

/** Canvas's event types, as a quiz client and Canvas's server send them. */
export const CANVAS_EVENT_TYPES = ['session_started', 'page_blurred', 'page_focused', 'question_viewed', 'question_flagged', 'question_answered'] as const;

export interface SeededEvent {
  submissionId: string;
  attempt: number;
  event_type: string;
  client_timestamp: string;
  event_data: unknown;
}

export interface SeededSubmission {
  path: SubmissionPath;
  subject: string;
  /** Each attempt's events, attempt 1 first. */
  attempts: ClientEvent[][];
}

/** A small deterministic generator (mulberry32), so that every run seeds the same quiz. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const eventData = (type: string, n: number): unknown =>
  type === 'question_viewed' ? [String(1 + (n % 5))]
  : type === 'question_flagged' ? { questionId: String(1 + (n % 5)), flagged: n % 2 === 0 }
  : type === 'question_answered' ? [{ quiz_question_id: String(1 + (n % 5)), answer: `a${n}` }]
  : null;

/**
 * A quiz of `count` submissions (ids "1", "2", … "count", which sort as text: "1", "10", "11", …), each
 * with 1 to 3 attempts of 1 to 12 events of mixed types at distinct times.
 */
export function quizDataset({ count, courseId = '1', quizId = '2', seed = 7 }: { count: number; courseId?: string; quizId?: string; seed?: number }) {
  const next = random(seed);
  const submissions: SeededSubmission[] = [];
  for (let s = 1; s <= count; s++) {
    const attempts = Array.from({ length: 1 + Math.floor(next() * 3) }, (_, a) =>
      Array.from({ length: 1 + Math.floor(next() * 12) }, (_, i): ClientEvent => {
        const type = CANVAS_EVENT_TYPES[Math.floor(next() * CANVAS_EVENT_TYPES.length)]!;
        const at = Date.parse('2014-10-08T19:00:00.000Z') + a * 3_600_000 + s * 1_000 + i * 60_000;
        return { event_type: type, client_timestamp: new Date(at).toISOString(), event_data: eventData(type, s + i) };
      }),
    );
    submissions.push({ path: { courseId, quizId, submissionId: String(s) }, subject: `student-${s}`, attempts });
  }
  const events: SeededEvent[] = submissions
    .flatMap(({ path, attempts }) =>
      attempts.flatMap((events, a) => events.map((event) => ({ submissionId: path.submissionId, attempt: a + 1, ...event }) as SeededEvent)),
    )
    .sort((x, y) => compare(x.submissionId, y.submissionId) || x.attempt - y.attempt || compare(x.client_timestamp, y.client_timestamp));
  return { submissions, events };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
