import { hash } from 'node:crypto';
import { EVENT_DIGEST_LENGTH, eventKey } from './event-key.ts';
import { canonicalJson } from './json-text.ts';
import { eventTimeMs, toIsoMillis } from './event-time.ts';
import type { SubmittedEvent } from './schemas.ts';

/** An event as it is kept: everything a read returns is here or derived from here. */
export interface StoredEvent {
  /** Event time, then a digest of the content: a resent event gets the same key and overwrites itself. */
  key: string;
  eventType: string;
  /** event_data as JSON text, exactly as it will be returned. */
  eventDataJson: string;
  clientTimestamp?: string;
  receivedAt: string;
}

// One-shot crypto.hash (Node >= 20.12) takes about 40% of createHash().update().digest()'s time for these
// short texts; it runs for every event written and every event read.
const digest = (text: string, length: number): string => hash('sha256', text, 'base64url').slice(0, length);

/**
 * Keys are derived from content so that resending a batch rewrites the same items. The k-th repeat of
 * identical content within one batch gets k in its digest: both copies are kept, and a resend of the
 * same batch still maps each copy onto itself.
 */
export function toStoredEvents(events: readonly SubmittedEvent[], receivedMs: number): StoredEvent[] {
  const receivedAt = toIsoMillis(receivedMs);
  const repeats = new Map<string, number>();
  return events.map(({ eventType, eventData, clientTimestamp }) => {
    const createdAt = toIsoMillis(eventTimeMs(clientTimestamp?.epochMs, receivedMs));
    const content = JSON.stringify([eventType, canonicalJson(eventData.value), clientTimestamp?.text ?? null]);
    const baseKey = eventKey(createdAt, digest(content, EVENT_DIGEST_LENGTH));
    const repeat = repeats.get(baseKey) ?? 0;
    repeats.set(baseKey, repeat + 1);
    return {
      key: repeat === 0 ? baseKey : eventKey(createdAt, digest(`${content}#${repeat}`, EVENT_DIGEST_LENGTH)),
      eventType,
      eventDataJson: eventData.json,
      ...(clientTimestamp && { clientTimestamp: clientTimestamp.text }),
      receivedAt,
    };
  });
}

/** A string id, unique within the submission (attempts included) and the same on every read. */
export const eventId = (attempt: number, key: string): string => digest(`${attempt}#${key}`, 16);
