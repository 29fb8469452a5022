/**
 * A class that took one quiz: deterministic events for the quiz log page's browser tests, written as a
 * quiz client POSTs them (so a real server can be seeded with the same batches).
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
}

const QUESTIONS = ['11', '12', '13', '14', '15', '16', '17', '18'];
const START = Date.parse('2026-03-02T09:00:00.000Z');

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

function buildSeed(): QuizLogSeed {
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

  return { course: '1', quiz: '2', emptyQuiz: '9', attempts, showcase, longLog };
}

export const QUIZ_LOG_SEED: QuizLogSeed = buildSeed();

/**
 * Stores the seed through the API, as quiz clients would: each attempt's batch in turn, to
 * `…/submissions/S/events?attempt=N`, with the given headers (a write token). For running the quiz
 * log page's browser tests against the local server.
 */
export async function postQuizLogSeed(baseUrl: string, headers: Record<string, string>, seed: QuizLogSeed = QUIZ_LOG_SEED): Promise<void> {
  const ordered = [...seed.attempts].sort((a, b) => (a.submission < b.submission ? -1 : a.submission > b.submission ? 1 : a.attempt - b.attempt));
  for (const { submission, attempt, events } of ordered) {
    const url = `${baseUrl}/api/v1/courses/${seed.course}/quizzes/${seed.quiz}/submissions/${submission}/events?attempt=${attempt}`;
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ quiz_submission_events: events }) });
    if (response.status !== 204) throw new Error(`seeding submission ${submission} attempt ${attempt}: HTTP ${response.status} ${await response.text()}`);
  }
}
