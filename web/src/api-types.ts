/**
 * The answers of the API's GET routes the page reads (docs/api.md), inferred from the API's own schemas
 * so the page cannot drift from the API. Type-only imports: nothing of zod or lib/ lands in the bundle.
 */
import type * as z from 'zod';
import type { eventSchema, RESPONSE_SCHEMAS, summarySchema } from '#lib/openapi/response-schemas.ts';

export type QuizEvent = z.output<typeof eventSchema>;
/** `open`: still unfocused at the attempt's last event. */
export type UnfocusedInterval = z.output<typeof RESPONSE_SCHEMAS.UnfocusedInterval>;
export type QuestionFacts = z.output<typeof RESPONSE_SCHEMAS.QuestionActivity>;
export type AttemptSummary = z.output<typeof summarySchema>;

/** Questions the attempt viewed at least once. */
export const questionsViewed = (summary: AttemptSummary): number => Object.values(summary.questions).filter((question) => question.view_count > 0).length;

/** Questions still flagged at the attempt's last event. */
export const questionsFlagged = (summary: AttemptSummary): number => Object.values(summary.questions).filter((question) => question.flagged).length;

/** True when the attempt's last event came while the student was away from the quiz page. */
export const awayAtEnd = (summary: AttemptSummary): boolean => summary.unfocused_intervals.some((interval) => interval.open);
