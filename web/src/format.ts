/** How durations and instants read on the page. */

/** `m:ss`, or `h:mm:ss` from an hour up; negative values keep their sign. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const sign = ms < 0 ? '−' : '';
  const totalSeconds = Math.floor(Math.abs(ms) / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = String(totalSeconds % 60).padStart(2, '0');
  return hours > 0 ? `${sign}${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${sign}${minutes}:${seconds}`;
}

/** Whole seconds, for the CSV: spreadsheets add these up, not `m:ss`. */
export const toSeconds = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '' : String(Math.round(ms / 1000)));

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** An API instant in the reader's own time zone; the exact ISO text stays in the <time> element. */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

const shortDateTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });

/** The same, compact, for a table cell. */
export function formatShortInstant(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : shortDateTime.format(date);
}

/** Milliseconds from `start` to `instant`, both API ISO strings. */
export const millisBetween = (start: string, instant: string): number => Date.parse(instant) - Date.parse(start);
