/**
 * A class that took one quiz: deterministic events for the quiz log page's browser tests, written as
 * quiz clients POST them, and stored through the local server's API as they would be. The class is
 * the same on every run; only its dates move: each submission's latest attempt ended a few minutes
 * before the seed was made (earlier attempts on the days before), so the server receives it as a
 * client that has just sent its log.
 */

export interface SeedEvent {
  event_type: string;
  event_data: unknown;
  client_timestamp: string;
}

export interface SeedAttempt {
  submission: string;
  attempt: number;
  events: SeedEvent[];
}

export interface QuizLogSeed {
  course: string;
  quiz: string;
  /** A quiz of the same course nobody has taken. */
  emptyQuiz: string;
  attempts: SeedAttempt[];
  /** A submission whose latest attempt has an open interval, a flag, an HTML-looking event_data, an unknown type. */
  showcase: { submission: string; attempt: number };
  /** A submission with more events than one page holds. */
  longLog: { submission: string; attempt: number };
  /** A submission whose client clock jumped too far ahead for its last events: the server uses their receipt time. */
  clockAhead: { submission: string; attempt: number; events: number };
}

const QUESTIONS = ['11', '12', '13', '14', '15', '16', '17', '18'];
const START = Date.parse('2026-03-02T09:00:00.000Z');
/** How long before the seed is made the first submission's latest attempt ended; the others, each a little earlier. */
const ENDED_BEFORE_MS = 2 * 60_000;
const ENDS_SPREAD_MS = 17_000;
/** More than the 5 minutes a client clock may run ahead of the server's (docs/api.md). */
const CLOCK_JUMP_MS = 20 * 60_000;

/** A small linear congruential generator: the same class on every run. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function takeAttempt(submission: string, attempt: number, next: () => number, options: { away?: number; views?: number } = {}): SeedAttempt {
  let at = START + attempt * 86_400_000 + Math.floor(next() * 600_000);
  const events: SeedEvent[] = [];
  const push = (event_type: string, event_data: unknown, stepMs: number) => {
    at += Math.max(Math.round(stepMs), 1);
    events.push({ event_type, event_data, client_timestamp: new Date(at).toISOString() });
  };
  push('session_started', null, 0);
  const views = options.views ?? 4 + Math.floor(next() * 5);
  const awayAfter = new Set(Array.from({ length: options.away ?? Math.floor(next() * 4) }, () => Math.floor(next() * views)));
  for (let index = 0; index < views; index++) {
    const question = QUESTIONS[index % QUESTIONS.length]!;
    push('question_viewed', [question], 20_000 + next() * 60_000);
    if (next() < 0.2) push('question_flagged', { questionId: question, flagged: true }, 5_000 + next() * 10_000);
    push('question_answered', [{ quiz_question_id: question, answer: `${Math.floor(next() * 4)}` }], 10_000 + next() * 50_000);
    if (awayAfter.has(index)) {
      push('page_blurred', null, 2_000 + next() * 5_000);
      push('page_focused', null, 8_000 + next() * 170_000);
    }
  }
  return { submission, attempt, events };
}

function buildSeed(now: number): QuizLogSeed {
  const next = random(20_260_302);
  const attempts: SeedAttempt[] = [];
  for (let id = 101; id <= 124; id++) {
    const submission = String(id);
    const count = id % 7 === 0 ? 3 : id % 3 === 0 ? 2 : 1;
    for (let attempt = 1; attempt <= count; attempt++) attempts.push(takeAttempt(submission, attempt, next));
  }

  // The showcase: two attempts; the latest leaves the page twice and is still away at its last event.
  const showcase = { submission: '130', attempt: 2 };
  attempts.push(takeAttempt(showcase.submission, 1, next, { away: 0 }));
  const latest = takeAttempt(showcase.submission, 2, next, { away: 1, views: 3 });
  const last = Date.parse(latest.events.at(-1)!.client_timestamp);
  const at = (offsetMs: number) => new Date(last + offsetMs).toISOString();
  latest.events.push(
    { event_type: 'question_flagged', event_data: { questionId: '12', flagged: true }, client_timestamp: at(4_000) },
    { event_type: 'question_flagged', event_data: { questionId: '12', flagged: false }, client_timestamp: at(9_000) },
    { event_type: 'proctor_note', event_data: { note: '<img src=x onerror="document.title=\'pwned\'">', 'a&b': [1, 2.5, null] }, client_timestamp: at(12_000) },
    { event_type: 'question_answered', event_data: [{ quiz_question_id: '13', answer: null }], client_timestamp: at(15_000) },
    { event_type: 'page_blurred', event_data: null, client_timestamp: at(20_000) },
    { event_type: 'page_blurred', event_data: null, client_timestamp: at(50_000) },
  );
  attempts.push(latest);

  // More events than the page's 100 a page: the page must follow the Link header.
  const longLog = { submission: '131', attempt: 1 };
  attempts.push(takeAttempt(longLog.submission, 1, next, { away: 3, views: 60 }));

  // Its student's clock jumps ahead just before the end.
  const clockAhead = { submission: '132', attempt: 1, events: 2 };
  attempts.push(takeAttempt(clockAhead.submission, 1, next, { away: 1 }));

  anchorToNow(attempts, now);
  const jumped = attempts.find((candidate) => candidate.submission === clockAhead.submission)!.events.slice(-clockAhead.events);
  for (const event of jumped) event.client_timestamp = new Date(Date.parse(event.client_timestamp) + CLOCK_JUMP_MS).toISOString();

  return { course: '1', quiz: '2', emptyQuiz: '9', attempts, showcase, longLog, clockAhead };
}

/** Moves each submission's attempts together, so that its latest attempt ended shortly before `now`. */
function anchorToNow(attempts: SeedAttempt[], now: number): void {
  const submissions = [...new Set(attempts.map((attempt) => attempt.submission))];
  for (const [index, submission] of submissions.entries()) {
    const own = attempts.filter((attempt) => attempt.submission === submission);
    const latestEnd = Math.max(...own.map((attempt) => Date.parse(attempt.events.at(-1)!.client_timestamp)));
    const shift = now - ENDED_BEFORE_MS - index * ENDS_SPREAD_MS - latestEnd;
    for (const event of own.flatMap((attempt) => attempt.events)) event.client_timestamp = new Date(Date.parse(event.client_timestamp) + shift).toISOString();
  }
}

export const QUIZ_LOG_SEED: QuizLogSeed = buildSeed(Date.now());

/** Whose submission it is: the student whose quiz client posts its events. */
export const studentOf = (submission: string) => `student-${submission}`;

/**
 * Stores the seed through the API, as quiz clients would: each attempt's batch in turn, to
 * `…/submissions/S/events?attempt=N`, with the headers `writerHeaders` gives for its submission
 * (its student's write token: the first writer of a submission owns it).
 */
export async function postQuizLogSeed(
  baseUrl: string,
  writerHeaders: (submission: string) => Record<string, string> | Promise<Record<string, string>>,
  seed: QuizLogSeed = QUIZ_LOG_SEED,
): Promise<void> {
  const ordered = [...seed.attempts].sort((a, b) => (a.submission < b.submission ? -1 : a.submission > b.submission ? 1 : a.attempt - b.attempt));
  for (const { submission, attempt, events } of ordered) {
    const url = `${baseUrl}/api/v1/courses/${seed.course}/quizzes/${seed.quiz}/submissions/${submission}/events?attempt=${attempt}`;
    const headers = { 'content-type': 'application/json', ...(await writerHeaders(submission)) };
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ quiz_submission_events: events }) });
    if (response.status !== 204) throw new Error(`seeding submission ${submission} attempt ${attempt}: HTTP ${response.status} ${await response.text()}`);
  }
}
