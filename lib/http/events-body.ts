import { createdAtOfEventKey } from '#lib/domain/event-key.ts';
import type { QuizEvent } from '#lib/domain/read-quiz-events.ts';
import { eventId, type StoredEvent } from '#lib/domain/stored-event.ts';

/**
 * One event as the API returns it: Canvas's four keys plus client_timestamp, received_at, the
 * submission id on the quiz routes, and attempt. event_data is spliced in as the JSON text that was
 * stored, so it comes back exactly as sent.
 */
const renderEvent = (event: StoredEvent, attempt: number, submissionId?: string): string =>
  `{"id":"${eventId(attempt, event.key)}","event_type":${JSON.stringify(event.eventType)},` +
  `"event_data":${event.eventDataJson},"created_at":"${createdAtOfEventKey(event.key)}",` +
  `"client_timestamp":${JSON.stringify(event.clientTimestamp ?? null)},"received_at":"${event.receivedAt}",` +
  `${submissionId === undefined ? '' : `"submission_id":${JSON.stringify(submissionId)},`}"attempt":${attempt}}`;

const envelope = (rendered: string[]) => `{"quiz_submission_events":[${rendered.join(',')}]}`;

/** GET …/submissions/:id/events: one attempt's events. */
export const eventsBody = (attempt: number, events: readonly StoredEvent[]): string => envelope(events.map((event) => renderEvent(event, attempt)));

/** GET …/quizzes/:quiz_id/submission_events: events of many submissions, each naming its submission. */
export const quizEventsBody = (events: readonly QuizEvent[]): string =>
  envelope(events.map(({ submissionId, attempt, event }) => renderEvent(event, attempt, submissionId)));
