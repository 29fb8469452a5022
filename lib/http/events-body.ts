import { eventId, type StoredEvent } from '#lib/domain/stored-event.ts';
import { createdAtOfEventKey } from '#lib/domain/event-key.ts';

/**
 * The GET body: Canvas's four keys per event plus client_timestamp, received_at and attempt.
 * event_data is spliced in as the JSON text that was stored, so it comes back exactly as sent.
 */
export function eventsBody(attempt: number, events: readonly StoredEvent[]): string {
  const rendered = events.map(
    (event) =>
      `{"id":"${eventId(attempt, event.key)}","event_type":${JSON.stringify(event.eventType)},` +
      `"event_data":${event.eventDataJson},"created_at":"${createdAtOfEventKey(event.key)}",` +
      `"client_timestamp":${JSON.stringify(event.clientTimestamp ?? null)},"received_at":"${event.receivedAt}",` +
      `"attempt":${attempt}}`,
  );
  return `{"quiz_submission_events":[${rendered.join(',')}]}`;
}
