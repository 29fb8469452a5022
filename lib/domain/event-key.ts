/**
 * An event's key: its fixed-width UTC time, then a digest of its content. It orders an attempt's events
 * (time, then a stable tie-break) and identifies them (a resent event has the same key). The store keeps
 * events sorted by it.
 */
export const eventKey = (createdAtIso: string, digest: string): string => `${createdAtIso}#${digest}`;

/** base64url characters of the content digest: 132 bits. */
export const EVENT_DIGEST_LENGTH = 22;
const ISO_MILLIS_LENGTH = '2014-10-08T19:29:58.123Z'.length;

export const EVENT_KEY_PATTERN = new RegExp(
  `^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z#[A-Za-z0-9_-]{${EVENT_DIGEST_LENGTH}}$`,
);

export const createdAtOfEventKey = (key: string): string => key.slice(0, ISO_MILLIS_LENGTH);
