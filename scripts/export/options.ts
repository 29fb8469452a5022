import { parseArgs } from 'node:util';
import * as z from 'zod';
import { commaList } from '#lib/comma-list.ts';
import { parseClientTimestamp } from '#lib/domain/event-time.ts';
import { MAX_PATH_ID_LENGTH, MAX_PER_PAGE, MAX_SUMMARIES_PER_PAGE, PATH_ID_PATTERN } from '#lib/domain/limits.ts';
import { ExitCode, ExportError } from './exit-codes.ts';

export const USAGE = `usage: npm run export -- --api URL --token T --course C --quiz Q
         [--submission S]... [--attempt latest|all|N] [--event-types a,b] [--start ISO] [--end ISO]
         [--summaries] [--format csv|jsonl] [--out FILE] [--spreadsheet-safe]
  The token may come from QUIZ_EVENTS_TOKEN instead of --token.`;

/** The token's environment variable: keeps it out of the shell history and the process list. */
const TOKEN_VARIABLE = 'QUIZ_EVENTS_TOKEN';

const id = (name: string) => z.string({ error: `--${name} is required` }).regex(PATH_ID_PATTERN, `--${name} must be 1 to ${MAX_PATH_ID_LENGTH} characters of A-Z a-z 0-9 _ . - : ~`);

const isoTime = (name: string) =>
  z
    .string()
    .refine((text) => parseClientTimestamp(text) !== undefined, `--${name} must be an ISO-8601 time with a zone, e.g. 2014-10-08T19:00:00Z`)
    .optional();

const optionsSchema = z
  .object({
    api: z.url({ protocol: /^https?$/, error: '--api must be the service’s http(s) base URL, e.g. http://127.0.0.1:3000' }),
    token: z.string({ error: `--token (or ${TOKEN_VARIABLE}) is required` }).min(1, `--token (or ${TOKEN_VARIABLE}) is required`),
    course: id('course'),
    quiz: id('quiz'),
    submission: z.array(id('submission')).default([]),
    attempt: z.string().regex(/^(latest|all|[1-9]\d{0,9})$/, '--attempt must be latest, all or a positive whole number').default('latest'),
    'event-types': z.string().transform(commaList).optional(),
    start: isoTime('start'),
    end: isoTime('end'),
    summaries: z.boolean().default(false),
    format: z.enum(['csv', 'jsonl'], '--format must be csv or jsonl').default('csv'),
    out: z.string().min(1).optional(),
    'spreadsheet-safe': z.boolean().default(false),
  })
  .refine((o) => !(o.start && o.end) || parseClientTimestamp(o.start)! < parseClientTimestamp(o.end)!, '--start must be before --end')
  .refine(
    (o) => !o.summaries || (o['event-types'] === undefined && o.start === undefined && o.end === undefined),
    '--event-types, --start and --end filter events; a summary always covers all of an attempt’s events',
  )
  .refine((o) => !o['spreadsheet-safe'] || o.format === 'csv', '--spreadsheet-safe applies to --format csv only')
  .transform((o) => ({
    api: o.api.replace(/\/+$/, ''),
    token: o.token,
    course: o.course,
    quiz: o.quiz,
    submissions: o.submission,
    attempt: o.attempt,
    eventTypes: o['event-types'] ?? [],
    start: o.start,
    end: o.end,
    summaries: o.summaries,
    format: o.format,
    out: o.out,
    spreadsheetSafe: o['spreadsheet-safe'],
  }));

export type ExportOptions = z.output<typeof optionsSchema>;

/** The command line (and the token's variable) as options; a usage error names what is wrong. */
export function parseExportOptions(argv: readonly string[], environment: NodeJS.ProcessEnv = process.env): ExportOptions {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        api: { type: 'string' },
        token: { type: 'string' },
        course: { type: 'string' },
        quiz: { type: 'string' },
        submission: { type: 'string', multiple: true },
        attempt: { type: 'string' },
        'event-types': { type: 'string' },
        start: { type: 'string' },
        end: { type: 'string' },
        summaries: { type: 'boolean' },
        format: { type: 'string' },
        out: { type: 'string' },
        'spreadsheet-safe': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ExportError((error as Error).message, ExitCode.usage);
  }
  const parsed = optionsSchema.safeParse({ token: environment[TOKEN_VARIABLE] || undefined, ...values });
  if (!parsed.success) throw new ExportError(parsed.error.issues.map((issue) => issue.message).join('; '), ExitCode.usage);
  return parsed.data;
}

/**
 * The quiz-wide feed (or its summaries) with the filters as query parameters, Canvas's array style
 * (`event_types[]=a&event_types[]=b`) as docs/api.md describes them.
 */
export function firstPageUrl(options: ExportOptions): string {
  const path = `/api/v1/courses/${options.course}/quizzes/${options.quiz}/submission_events${options.summaries ? '/summary' : ''}`;
  const query: string[] = [`attempt=${options.attempt}`];
  for (const submission of options.submissions) query.push(`submission_ids[]=${encodeURIComponent(submission)}`);
  for (const type of options.eventTypes) query.push(`event_types[]=${encodeURIComponent(type)}`);
  if (options.start !== undefined) query.push(`start_time=${encodeURIComponent(options.start)}`);
  if (options.end !== undefined) query.push(`end_time=${encodeURIComponent(options.end)}`);
  // Page sizes: the largest each route serves (docs/api.md).
  query.push(`per_page=${options.summaries ? MAX_SUMMARIES_PER_PAGE : MAX_PER_PAGE}`);
  return `${options.api}${path}?${query.join('&')}`;
}
