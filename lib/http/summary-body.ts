import type { AttemptSummary, QuestionActivity, UnfocusedInterval } from '#lib/domain/attempt-summary.ts';

/**
 * The summary as the API returns it (docs/api.md, Summaries), keys in the documented order. Written
 * as text rather than through an object so that any event type or question id, "__proto__"
 * included, is just a key, and the key order stays as documented.
 */
export function summaryJson(summary: AttemptSummary): string {
  return (
    `{"submission_id":${JSON.stringify(summary.submissionId)},"attempt":${summary.attempt},` +
    `"event_count":${summary.eventCount},"event_counts":${countsJson(summary.eventCounts)},` +
    `"first_event_at":${JSON.stringify(summary.firstEventAt)},"last_event_at":${JSON.stringify(summary.lastEventAt)},` +
    `"duration_ms":${summary.durationMs},"session_count":${summary.sessionCount},"blur_count":${summary.blurCount},` +
    `"unfocused_intervals":[${summary.unfocusedIntervals.map(intervalJson).join(',')}],` +
    `"unfocused_ms_total":${summary.unfocusedMsTotal},"unfocused_ms_max":${summary.unfocusedMsMax},` +
    `"questions":${questionsJson(summary.questions)},` +
    `"max_receive_lag_ms":${summary.maxReceiveLagMs},"clock_fallback_count":${summary.clockFallbackCount}}`
  );
}

/** The quiz-wide answer around summaries already rendered by summaryJson. */
export const quizSummariesBody = (summaries: readonly string[]): string =>
  `{"quiz_submission_event_summaries":[${summaries.join(',')}]}`;

function countsJson(counts: ReadonlyMap<string, number>): string {
  const entries: string[] = [];
  for (const [type, count] of counts) entries.push(`${JSON.stringify(type)}:${count}`);
  return `{${entries.join(',')}}`;
}

const intervalJson = ({ startedAt, endedAt, durationMs, open }: UnfocusedInterval): string =>
  `{"started_at":"${startedAt}","ended_at":"${endedAt}","duration_ms":${durationMs},"open":${open}}`;

function questionsJson(questions: ReadonlyMap<string, QuestionActivity>): string {
  const entries: string[] = [];
  for (const [id, { firstViewedAt, viewCount, flagged, answerCount }] of questions) {
    entries.push(
      `${JSON.stringify(id)}:{"first_viewed_at":${JSON.stringify(firstViewedAt)},"view_count":${viewCount},` +
        `"flagged":${flagged},"answer_count":${answerCount}}`,
    );
  }
  return `{${entries.join(',')}}`;
}
