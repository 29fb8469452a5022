import { isLosslessNumber } from 'lossless-json';
import { jsonText } from '#lib/domain/json-text.ts';
import { csvRecord, spreadsheetSafe } from './csv.ts';
import { ExitCode, ExportError } from './exit-codes.ts';

/**
 * How the API's items become lines of the export file. CSV columns are fixed, so the header written
 * before the first page fits every later row (README, Export).
 */
export interface RowFormat {
  /** The first line(s) of the file, before any page. */
  header: string;
  /** The lines of one page's items. */
  lines(items: readonly unknown[]): string;
}

export const EVENT_COLUMNS = ['submission_id', 'attempt', 'id', 'event_type', 'created_at', 'client_timestamp', 'received_at', 'event_data'] as const;

/** Canvas's event types, each with its own count column; any other type is counted in `event_counts.other`. */
export const KNOWN_EVENT_TYPES = [
  'session_started',
  'page_blurred',
  'page_focused',
  'question_viewed',
  'question_flagged',
  'question_answered',
  'submission_created',
] as const;

const SUMMARY_SCALARS = [
  'submission_id',
  'attempt',
  'event_count',
  'first_event_at',
  'last_event_at',
  'duration_ms',
  'session_count',
  'blur_count',
  'unfocused_ms_total',
  'unfocused_ms_max',
  'max_receive_lag_ms',
  'clock_fallback_count',
] as const;

export const SUMMARY_COLUMNS = [
  ...SUMMARY_SCALARS,
  'unfocused_interval_count',
  'question_count',
  'questions_viewed',
  'questions_flagged',
  'questions_answered',
  ...KNOWN_EVENT_TYPES.map((type) => `event_counts.${type}`),
  'event_counts.other',
  'unfocused_intervals',
  'questions',
] as const;

/** The envelope key of each route's page. */
const itemsKey = (summaries: boolean) => (summaries ? 'quiz_submission_event_summaries' : 'quiz_submission_events');

export function pageItems(body: unknown, summaries: boolean): unknown[] {
  const items = (body as Record<string, unknown> | null)?.[itemsKey(summaries)];
  if (!Array.isArray(items)) throw new ExportError(`the answer has no "${itemsKey(summaries)}" array; is --api the quiz events service?`, ExitCode.failed);
  return items;
}

/** JSON Lines: each item exactly as the API returned it (numbers too), one a line. */
export const jsonLines: RowFormat = {
  header: '',
  lines: (items) => items.map((item) => `${jsonText(item)}\n`).join(''),
};

type Cell = (value: unknown) => string;

/** Text as it is; numbers and booleans as JSON writes them; null as an empty field; objects as JSON text. */
const plainCell: Cell = (value) =>
  value === null || value === undefined
    ? ''
    : typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : isLosslessNumber(value)
          ? value.value
          : jsonText(value);

/** The same, with text that a spreadsheet would run as a formula defused. Numbers stay numbers. */
const safeCell: Cell = (value) => (typeof value === 'string' || (value !== null && typeof value === 'object' && !isLosslessNumber(value)) ? spreadsheetSafe(plainCell(value)) : plainCell(value));

/** The columns of an event taken as they are: all but the last, event_data. */
const EVENT_CELL_COLUMNS = EVENT_COLUMNS.slice(0, -1);

export function eventsCsv({ spreadsheetSafe: safe = false } = {}): RowFormat {
  const cell = safe ? safeCell : plainCell;
  return {
    header: csvRecord(EVENT_COLUMNS),
    lines: (items) =>
      items
        .map((item) => {
          const event = item as Record<string, unknown>;
          // event_data is always JSON text, so its null is "null" and a JSON string keeps its quotes.
          const data = jsonText(event.event_data ?? null);
          return csvRecord([...EVENT_CELL_COLUMNS.map((column) => cell(event[column])), safe ? spreadsheetSafe(data) : data]);
        })
        .join(''),
  };
}

export function summariesCsv({ spreadsheetSafe: safe = false } = {}): RowFormat {
  const cell = safe ? safeCell : plainCell;
  return {
    header: csvRecord(SUMMARY_COLUMNS),
    lines: (items) => items.map((item) => csvRecord(summaryFields(item as Record<string, unknown>).map(cell))).join(''),
  };
}

interface QuestionFields {
  view_count?: unknown;
  flagged?: unknown;
  answer_count?: unknown;
}

function summaryFields(summary: Record<string, unknown>): unknown[] {
  const counts = (summary.event_counts ?? {}) as Record<string, unknown>;
  // fromEntries, not assignment: an event type may be "__proto__".
  const other = Object.fromEntries(Object.entries(counts).filter(([type]) => !(KNOWN_EVENT_TYPES as readonly string[]).includes(type)));
  const questions = Object.values((summary.questions ?? {}) as Record<string, QuestionFields>);
  const positive = (value: unknown) => typeof value === 'number' && value > 0;
  const intervals = Array.isArray(summary.unfocused_intervals) ? summary.unfocused_intervals : [];
  return [
    ...SUMMARY_SCALARS.map((field) => summary[field]),
    intervals.length,
    questions.length,
    questions.filter((question) => positive(question.view_count)).length,
    questions.filter((question) => question.flagged === true).length,
    questions.filter((question) => positive(question.answer_count)).length,
    ...KNOWN_EVENT_TYPES.map((type) => counts[type] ?? 0),
    other,
    intervals,
    summary.questions ?? {},
  ];
}
