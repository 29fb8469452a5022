import { type AttemptSummary, awayAtEnd, questionsFlagged, questionsViewed } from '../api-types.ts';
import { formatDuration, toSeconds } from '../format.ts';

/** A column of the class table: how it reads, sorts and exports. */
export interface ClassColumn {
  key: string;
  label: string;
  /** The value sorted on; null sorts last. */
  sortValue(summary: AttemptSummary): number | string | null;
  /** Figures sort biggest first on the first click: that is what a reviewer looks for. */
  firstDirection: 'asc' | 'desc';
  /** The cell's text, for the columns the class table does not render itself; submission and first event have none. */
  text?(summary: AttemptSummary): string;
  csvHeader: string;
  csv(summary: AttemptSummary): string;
}

const figure = (key: string, label: string, value: (summary: AttemptSummary) => number, csvHeader = label): ClassColumn => ({
  key,
  label,
  sortValue: value,
  firstDirection: 'desc',
  text: (summary) => String(value(summary)),
  csvHeader,
  csv: (summary) => String(value(summary)),
});

const duration = (key: string, label: string, value: (summary: AttemptSummary) => number | null): ClassColumn => ({
  key,
  label,
  sortValue: value,
  firstDirection: 'desc',
  text: (summary) => formatDuration(value(summary)),
  csvHeader: `${label} (s)`,
  csv: (summary) => toSeconds(value(summary)),
});

export function notes(summary: AttemptSummary): string[] {
  return [
    awayAtEnd(summary) ? 'Away at the last event' : '',
    summary.clock_fallback_count > 0 ? `Receipt time used for ${summary.clock_fallback_count} event${summary.clock_fallback_count === 1 ? '' : 's'}` : '',
    summary.event_count === 0 ? 'No events' : '',
  ].filter(Boolean);
}

export const CLASS_COLUMNS: readonly ClassColumn[] = [
  {
    key: 'submission',
    label: 'Submission',
    sortValue: (summary) => summary.submission_id,
    firstDirection: 'asc',
    csvHeader: 'Submission',
    csv: (summary) => summary.submission_id,
  },
  figure('attempt', 'Attempt', (summary) => summary.attempt),
  {
    key: 'started',
    label: 'First event',
    sortValue: (summary) => summary.first_event_at,
    firstDirection: 'asc',
    csvHeader: 'First event (UTC)',
    csv: (summary) => summary.first_event_at ?? '',
  },
  duration('duration', 'Duration', (summary) => summary.duration_ms),
  figure('events', 'Events', (summary) => summary.event_count),
  figure('blurs', 'Blur count', (summary) => summary.blur_count),
  duration('away', 'Time away', (summary) => summary.unfocused_ms_total),
  duration('longest', 'Longest away', (summary) => summary.unfocused_ms_max),
  figure('viewed', 'Questions viewed', questionsViewed),
  figure('flagged', 'Flagged', questionsFlagged, 'Questions flagged'),
  {
    key: 'notes',
    label: 'Notes',
    sortValue: (summary) => notes(summary).length,
    firstDirection: 'desc',
    text: (summary) => notes(summary).join('; '),
    csvHeader: 'Notes',
    csv: (summary) => notes(summary).join('; '),
  },
];

export const DEFAULT_SORT = 'submission';

/** Sorted copy; ties keep submission id order, so a sort reads the same every time. */
export function sortSummaries(summaries: readonly AttemptSummary[], column: ClassColumn, direction: 'asc' | 'desc'): AttemptSummary[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...summaries].sort((a, b) => {
    const [x, y] = [column.sortValue(a), column.sortValue(b)];
    if (x === null || y === null) return x === y ? byId(a, b) : x === null ? 1 : -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : compareText(String(x), String(y));
    return order !== 0 ? sign * order : byId(a, b);
  });
}

const collator = new Intl.Collator('en', { numeric: true });
const compareText = (a: string, b: string) => collator.compare(a, b);
const byId = (a: AttemptSummary, b: AttemptSummary) => compareText(a.submission_id, b.submission_id) || a.attempt - b.attempt;
