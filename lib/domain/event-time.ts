import { MAX_CLIENT_CLOCK_LEAD_MS } from './limits.ts';

// ISO-8601 / RFC 3339 date-time with a zone; seconds and fraction optional, any precision.
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;

const MAX_YEAR = 9999;

/**
 * Milliseconds since the epoch, or undefined when the text is not a zoned ISO-8601 time that fits
 * the fixed-width sort key (years 0000–9999 in UTC). A leap second (:60) is read as the last
 * millisecond of its minute, so it sorts after :59 and before the next minute.
 */
export function parseClientTimestamp(text: string): number | undefined {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '0', fraction = '', zulu, sign, offsetHours, offsetMinutes = '0'] =
    match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number) as [
    number, number, number, number, number, number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 60) return undefined;
  const offset = zulu ? 0 : Number(offsetHours) * 60 + Number(offsetMinutes);
  if (!zulu && (Number(offsetHours) > 23 || Number(offsetMinutes) > 59)) return undefined;

  const leapSecond = s === 60;
  const millis = leapSecond ? 999 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, leapSecond ? 59 : s, millis);
  const epochMs = date.getTime() - (sign === '-' ? -offset : offset) * 60_000;
  const utcYear = new Date(epochMs).getUTCFullYear();
  return utcYear >= 0 && utcYear <= MAX_YEAR ? epochMs : undefined;
}

/**
 * When the event happened: the client's time, unless there is none or the client's clock is too far
 * ahead of ours, in which case the time we received it.
 */
export function eventTimeMs(clientMs: number | undefined, receivedMs: number): number {
  return clientMs !== undefined && clientMs - receivedMs <= MAX_CLIENT_CLOCK_LEAD_MS ? clientMs : receivedMs;
}

/** Fixed-width UTC ISO-8601 with milliseconds, e.g. 2014-10-08T19:29:58.123Z. */
export const toIsoMillis = (epochMs: number): string => new Date(epochMs).toISOString();

function daysInMonth(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}
