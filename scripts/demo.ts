/**
 * Fills the running local server with a demo class, as quiz clients would POST it:
 *   npm run demo [-- --api http://127.0.0.1:3000 --course 1 --quiz 1 --students 12]
 * Each student takes the quiz once or twice: session started, questions viewed, answered and flagged,
 * the quiz page left and resumed. Tokens are minted as `npm run token` mints them (the same settings), one per
 * student.
 */
import { parseArgs } from 'node:util';
import { loadLocalSettings } from '#local/local-settings.ts';
import { mintForLocalServer } from '#local/local-tokens.ts';

const USAGE = 'usage: npm run demo -- [--api http://127.0.0.1:3000] [--course 1] [--quiz 1] [--students 12]';
const QUESTIONS = 8;

interface DemoEvent {
  client_timestamp: string;
  event_type: string;
  event_data: unknown;
}

/** The same class on every run (a small linear congruential generator). */
function random(seed: number) {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/** One attempt as Canvas's quiz client records it. */
function attemptEvents(next: () => number, startMs: number): DemoEvent[] {
  const events: DemoEvent[] = [];
  let at = startMs;
  const add = (event_type: string, event_data: unknown = null, afterSeconds = 5 + next() * 40) => {
    at += Math.round(afterSeconds * 1000);
    events.push({ client_timestamp: new Date(at).toISOString(), event_type, event_data });
  };
  add('session_started', null, 0);
  for (let question = 1; question <= QUESTIONS; question++) {
    add('question_viewed', [String(question)]);
    if (next() < 0.25) {
      add('page_blurred');
      add('page_focused', null, 3 + next() * (next() < 0.2 ? 300 : 40));
    }
    add('question_answered', [{ quiz_question_id: String(question), answer: `answer ${Math.floor(next() * 4) + 1}` }], 20 + next() * 90);
    if (next() < 0.15) add('question_flagged', { questionId: String(question), flagged: true });
  }
  if (next() < 0.2) add('page_blurred');
  return events;
}

/** A mistake in the command line (parseArgs's own errors too): the usage line follows its message. */
class UsageError extends Error {}
const isUsageError = (error: unknown) => error instanceof UsageError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      api: { type: 'string' },
      course: { type: 'string', default: '1' },
      quiz: { type: 'string', default: '1' },
      students: { type: 'string', default: '12' },
    },
    strict: true,
  });
  const settings = loadLocalSettings();
  const api = values.api ?? `http://${settings.host}:${settings.port}`;
  const students = Number(values.students);
  if (!Number.isInteger(students) || students < 1 || students > 500) throw new UsageError('--students takes 1 to 500');
  const quiz = `${api}/api/v1/courses/${values.course}/quizzes/${values.quiz}`;
  // Once a quiz: a rerun in another hour would date the class anew and add every attempt's events again,
  // and another subject's submission 1 would refuse student 1.
  const reader = await mintForLocalServer(settings, { sub: 'demo', scopes: ['read'], courseIds: [values.course], ttlSeconds: 60 });
  const existing = await fetch(`${quiz}/submission_events/summary?submission_ids[]=1`, { headers: { authorization: `Bearer ${reader}` } });
  if (!existing.ok) throw new Error(`GET ${existing.url}: ${existing.status} ${await existing.text()}`);
  if ((await existing.json()).quiz_submission_event_summaries.length > 0) {
    process.stdout.write(
      `Submission 1 of course ${values.course}, quiz ${values.quiz} at ${api} already has events: nothing posted. ` +
        `Open the quiz log, or run the demo on another quiz: npm run demo -- --quiz 2\n`,
    );
    return;
  }
  const next = random(20141008);
  // Dated a few hours back, so receive lags look like a real class's (seconds, not months).
  const startOfClass = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000;
  let posted = 0;
  for (let student = 1; student <= students; student++) {
    // Each student's token names their course and, when SUBMISSION_CLAIM is set, their submission.
    const token = await mintForLocalServer(settings, { sub: `student-${student}`, scopes: ['write'], courseIds: [values.course], submissionIds: [String(student)], ttlSeconds: 600 });
    const attempts = next() < 0.3 ? 2 : 1;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const events = attemptEvents(next, startOfClass + (attempt - 1) * 3_600_000 + student * 7_000);
      const url = `${quiz}/submissions/${student}/events?attempt=${attempt}`;
      const answer = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ quiz_submission_events: events }),
      });
      if (answer.status !== 204) throw new Error(`POST ${url}: ${answer.status} ${await answer.text()}`);
      posted += events.length;
    }
  }
  process.stdout.write(`Posted ${posted} events for ${students} students to course ${values.course}, quiz ${values.quiz} at ${api}\n`);
}

main().catch((error: unknown) => {
  const cause = (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED' ? ' (is npm start running?)' : '';
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}${cause}\n${isUsageError(error) ? `${USAGE}\n` : ''}`);
  process.exitCode = 1;
});
