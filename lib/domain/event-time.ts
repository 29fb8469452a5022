import { MAX_CLIENT_CLOCK_LEAD_MS } from './limits.ts';

// ISO-8601 / RFC 3339 date-time with a zone; seconds and fraction optional, any precision.
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;

/** The fixed-width sort key holds years 0000–9999 (UTC); anything outside does not fit. */
const MIN_EPOCH_MS = Date.parse('0000-01-01T00:00:00.000Z');
const MAX_EPOCH_MS = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * Milliseconds since the epoch, or undefined when the text is not a zoned ISO-8601 time that fits
 * the fixed-width sort key (years 0000–9999 in UTC). A leap second (:60) is read as the last
 * millisecond of its minute, so it sorts after :59 and before the next minute.
 * Runs once per event of every POST, so it does arithmetic instead of building Date objects (the
 * warm benchmark found the Date-based version to be the handler's largest cost of its own).
 */
export function parseClientTimestamp(text: string): number | undefined {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return undefined;
  const y = Number(match[1]);
  const mo = Number(match[2]);
  const d = Number(match[3]);
  const h = Number(match[4]);
  const mi = Number(match[5]);
  const s = match[6] === undefined ? 0 : Number(match[6]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 60) return undefined;
  const zulu = match[8] !== undefined;
  const offsetHours = zulu ? 0 : Number(match[10]);
  const offsetMinutes = zulu || match[11] === undefined ? 0 : Number(match[11]);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offset = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);

  const leapSecond = s === 60;
  const fraction = match[7];
  const millis = leapSecond ? 999 : fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const epochMs = utcMs(y, mo, d, h, mi, leapSecond ? 59 : s, millis) - offset * 60_000;
  return epochMs >= MIN_EPOCH_MS && epochMs <= MAX_EPOCH_MS ? epochMs : undefined;
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

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** Date.UTC for a valid date, except that years 0–99 stay themselves instead of meaning 1900–1999. */
function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  if (y >= 100) return Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}
