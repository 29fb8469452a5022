/** The answers of the API's GET routes the page reads (docs/api.md). */

export interface QuizEvent {
  id: string;
  event_type: string;
  event_data: unknown;
  created_at: string;
  client_timestamp: string | null;
  received_at: string;
  attempt: number;
}

export interface UnfocusedInterval {
  started_at: string;
  ended_at: string;
  duration_ms: number;
  /** Still unfocused at the attempt's last event. */
  open: boolean;
}

export interface QuestionFacts {
  first_viewed_at: string | null;
  view_count: number;
  flagged: boolean;
  answer_count: number;
}

export interface AttemptSummary {
  submission_id: string;
  attempt: number;
  event_count: number;
  event_counts: Record<string, number>;
  first_event_at: string | null;
  last_event_at: string | null;
  duration_ms: number | null;
  session_count: number;
  blur_count: number;
  unfocused_intervals: UnfocusedInterval[];
  unfocused_ms_total: number;
  unfocused_ms_max: number;
  questions: Record<string, QuestionFacts>;
  max_receive_lag_ms: number | null;
  clock_fallback_count: number;
}

/** Questions the attempt viewed at least once. */
export const questionsViewed = (summary: AttemptSummary): number => Object.values(summary.questions).filter((question) => question.view_count > 0).length;

/** Questions still flagged at the attempt's last event. */
export const questionsFlagged = (summary: AttemptSummary): number => Object.values(summary.questions).filter((question) => question.flagged).length;

/** True when the attempt's last event came while the student was away from the quiz page. */
export const awayAtEnd = (summary: AttemptSummary): boolean => summary.unfocused_intervals.some((interval) => interval.open);
