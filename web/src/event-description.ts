/**
 * What each event says, in the words of Canvas's own quiz log ("Session started", "Resumed.", …), so a
 * teacher who knows that page reads this one the same way. Question ids come from the event data: they
 * are shown as `#id` text, never as markup.
 */

export const KNOWN_EVENT_TYPES = ['session_started', 'question_viewed', 'page_blurred', 'page_focused', 'question_flagged', 'question_answered', 'submission_created'] as const;

/** A short name per type, for the filters and the legend. */
export function eventTypeLabel(type: string): string {
  switch (type) {
    case 'session_started':
      return 'Session started';
    case 'question_viewed':
      return 'Question viewed';
    case 'page_blurred':
      return 'Left the quiz page';
    case 'page_focused':
      return 'Came back (Resumed.)';
    case 'question_flagged':
      return 'Question flagged or unflagged';
    case 'question_answered':
      return 'Question answered';
    case 'submission_created':
      return 'Submission created';
    default:
      return type;
  }
}

export function describeEvent(type: string, data: unknown): string {
  switch (type) {
    case 'session_started':
      return 'Session started';
    case 'page_blurred':
      return 'Stopped viewing the Canvas quiz-taking page...';
    case 'page_focused':
      return 'Resumed.';
    case 'submission_created':
      return 'Submission created';
    case 'question_viewed': {
      const ids = viewedQuestionIds(data);
      if (ids.length === 0) return 'Viewed (and possibly read) a question (the event data names none)';
      return ids.length === 1 ? `Viewed (and possibly read) question ${anchor(ids[0]!)}` : `Viewed (and possibly read) the following questions: ${ids.map(anchor).join(', ')}`;
    }
    case 'question_flagged': {
      const flag = data as { questionId?: unknown; flagged?: unknown } | null;
      if (!flag || typeof flag !== 'object' || !isQuestionId(flag.questionId)) return 'Flagged or unflagged a question (the event data names none)';
      return `${flag.flagged === true ? 'Flagged' : 'Unflagged'} question ${anchor(String(flag.questionId))}`;
    }
    case 'question_answered': {
      const entries = Array.isArray(data) ? (data as { quiz_question_id?: unknown; answer?: unknown }[]).filter((entry) => entry && isQuestionId(entry.quiz_question_id)) : [];
      if (entries.length === 0) return 'Answered a question (the event data names none)';
      const answered = entries.filter((entry) => entry.answer !== null && entry.answer !== undefined).map((entry) => String(entry.quiz_question_id));
      const cleared = entries.filter((entry) => entry.answer === null || entry.answer === undefined).map((entry) => String(entry.quiz_question_id));
      const parts = [
        answered.length === 1 ? `Answered question ${anchor(answered[0]!)}` : answered.length > 1 ? `Answered the following questions: ${answered.map(anchor).join(', ')}` : '',
        cleared.length > 0 ? `Cleared the answer to ${cleared.length === 1 ? 'question' : 'questions'} ${cleared.map(anchor).join(', ')}` : '',
      ];
      return parts.filter(Boolean).join('; ');
    }
    default:
      return `Event “${type}”`;
  }
}

/** Question ids named by a question_viewed event, for the timeline's marks. */
export function viewedQuestionIds(data: unknown): string[] {
  return Array.isArray(data) ? data.filter(isQuestionId).map(String) : [];
}

const isQuestionId = (value: unknown): value is string | number => (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value));
const anchor = (id: string) => `#${id}`;
