/**
 * The summary of one attempt as the API defines it (docs/api.md, "Summaries"), computed here so that
 * the test API server can answer the summary routes from its seeded events. The page itself never
 * computes a summary: it shows what the API says.
 */

export interface StoredEvent {
  id: string;
  event_type: string;
  event_data: unknown;
  created_at: string;
  client_timestamp: string | null;
  received_at: string;
  attempt: number;
}

export function summarizeAttempt(submission: string, attempt: number, events: readonly StoredEvent[]) {
  const counts: Record<string, number> = {};
  const intervals: { started_at: string; ended_at: string; duration_ms: number; open: boolean }[] = [];
  const questions: Record<string, { first_viewed_at: string | null; view_count: number; flagged: boolean; answer_count: number }> = {};
  const question = (id: unknown) => (questions[String(id)] ??= { first_viewed_at: null, view_count: 0, flagged: false, answer_count: 0 });
  let awaySince: string | undefined;
  let maxLag: number | null = null;
  for (const event of events) {
    counts[event.event_type] = (counts[event.event_type] ?? 0) + 1;
    const lag = Date.parse(event.received_at) - Date.parse(event.created_at);
    maxLag = maxLag === null ? lag : Math.max(maxLag, lag);
    const data = event.event_data as any;
    if (event.event_type === 'page_blurred' && awaySince === undefined) awaySince = event.created_at;
    if (event.event_type === 'page_focused' && awaySince !== undefined) {
      intervals.push(interval(awaySince, event.created_at, false));
      awaySince = undefined;
    }
    if (event.event_type === 'question_viewed' && Array.isArray(data)) {
      for (const id of data) {
        const facts = question(id);
        facts.view_count++;
        facts.first_viewed_at ??= event.created_at;
      }
    }
    if (event.event_type === 'question_flagged' && data && typeof data === 'object' && 'questionId' in data) question(data.questionId).flagged = data.flagged === true;
    if (event.event_type === 'question_answered' && Array.isArray(data)) for (const entry of data) question(entry.quiz_question_id).answer_count++;
  }
  const first = events[0]?.created_at ?? null;
  const last = events.at(-1)?.created_at ?? null;
  if (awaySince !== undefined && last) intervals.push(interval(awaySince, last, true));
  return {
    submission_id: submission,
    attempt,
    event_count: events.length,
    event_counts: counts,
    first_event_at: first,
    last_event_at: last,
    duration_ms: first && last ? Date.parse(last) - Date.parse(first) : null,
    session_count: counts.session_started ?? 0,
    blur_count: counts.page_blurred ?? 0,
    unfocused_intervals: intervals,
    unfocused_ms_total: intervals.reduce((sum, { duration_ms }) => sum + duration_ms, 0),
    unfocused_ms_max: intervals.reduce((max, { duration_ms }) => Math.max(max, duration_ms), 0),
    questions,
    max_receive_lag_ms: maxLag,
    clock_fallback_count: 0,
  };
}

const interval = (started_at: string, ended_at: string, open: boolean) => ({ started_at, ended_at, duration_ms: Date.parse(ended_at) - Date.parse(started_at), open });
