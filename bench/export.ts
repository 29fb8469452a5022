/**
 * The export's rate: `npm run export` (scripts/export/) of the 50,000-event quiz from the local server,
 * to CSV and to JSON Lines, and of its summaries, against merely fetching the same pages (the walk's
 * network and the server's share), from the same server in the same run, runs in turn.
 * `npx tsx bench/export.ts` alone measures against the small feed server of the export's tests
 * instead, with Canvas-like data and with data built to be hard on CSV and JSON.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseLinkHeader } from '../web/src/link-header.ts';
import { firstPageUrl, parseExportOptions } from '../scripts/export/options.ts';
import { runExport } from '../scripts/export/run-export.ts';
import { awkwardFeedEvents } from '../test/support/feed-events.ts';
import { type FeedEvent, startFeedServer } from '../test/support/feed-server.ts';
import { BENCH_COURSE } from './feed-quiz.ts';
import { type QuizSize, reportingServer } from './reporting-server.ts';
import { median, type Metric, rateMetric, withPairedRatio } from './results.ts';
import { canvasLikeAttempt } from './summary.ts';

/** Goal: the export (parsing, formatting, writing with checkpoints) at most half again the time of fetching its pages. */
export const EXPORT_RATE_GOAL = 0.67;

export interface ExportTarget {
  url: string;
  token: string;
  course: string;
  quiz: string;
}

const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });

/** The walk alone: every page fetched and read as text, nothing parsed or written. Returns the items seen. */
async function fetchEveryPage(url: string, token: string, itemMarker: string): Promise<number> {
  let next: string | undefined = url;
  let rows = 0;
  while (next !== undefined) {
    const response: Response = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${response.status} from ${next}`);
    rows += text.split(itemMarker).length - 1;
    next = parseLinkHeader(response.headers.get('link'), next).get('next');
  }
  return rows;
}

export interface ExportTimes {
  rows: number;
  /** Each round's time in ms: fetching the pages only, and each variant's export. */
  fetchMs: number[];
  exportMs: Record<string, number[]>;
}

/**
 * Each round: the bare walk and every variant's export (same pages, other formats), in an order that
 * rotates round by round, so a busy spell on the machine falls on all alike.
 */
export async function timeExports(target: ExportTarget, common: string[], variants: Record<string, string[]>, { rounds = 3, warmUp = 1 } = {}): Promise<ExportTimes> {
  const base = ['--api', target.url, '--token', target.token, '--course', target.course, '--quiz', target.quiz, ...common];
  const summaries = common.includes('--summaries');
  const dir = await mkdtemp(join(tmpdir(), 'export-bench-'));
  const runs: { name: string; run: () => Promise<number> }[] = [
    { name: 'fetch', run: () => fetchEveryPage(firstPageUrl(parseExportOptions(base, {})), target.token, summaries ? '"submission_id":' : '"id":') },
    ...Object.entries(variants).map(([name, args]) => ({
      name,
      run: async () => {
        const code = await runExport([...base, ...args, '--out', join(dir, `${name}.out`)], { stdout: discard(), stderr: discard(), environment: {} });
        if (code !== 0) throw new Error(`export ${name} exited ${code}`);
        return -1;
      },
    })),
  ];
  const times = new Map(runs.map(({ name }) => [name, [] as number[]]));
  let rows = 0;
  try {
    for (let round = -warmUp; round < rounds; round++) {
      const shift = ((round % runs.length) + runs.length) % runs.length;
      for (const { name, run } of [...runs.slice(shift), ...runs.slice(0, shift)]) {
        const started = performance.now();
        const seen = await run();
        const ms = performance.now() - started;
        if (seen >= 0) rows = seen;
        if (round >= 0) times.get(name)!.push(ms);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { rows, fetchMs: times.get('fetch')!, exportMs: Object.fromEntries(Object.keys(variants).map((name) => [name, times.get(name)!])) };
}

/** bench/results.json lines: events/s to CSV and to JSON Lines, and summaries/s, each against fetching the same pages. */
export async function measureExport({ submissions = 500, eventCount = 50_000, rounds = 2, warmUp = 0 }: Partial<QuizSize> & { rounds?: number; warmUp?: number } = {}): Promise<Record<string, Metric>> {
  const reporting = await reportingServer();
  const quiz = await reporting.quiz({ submissions, eventCount });
  // The server lets every request through; the token is only what the export sends.
  const target = { url: reporting.server.url, token: 'bench', course: BENCH_COURSE, quiz: quiz.quizId };
  const results: Record<string, Metric> = {};
  const note = (rows: number, what: string) => `${rows.toLocaleString('en')} ${what}, --attempt all; vs fetching the same pages only; median of ${rounds}`;
  /** Rows per second exporting against fetching; the ratio from each round's pair. */
  const rate = (times: ExportTimes, variant: string, unit: string, what: string) =>
    withPairedRatio(
      rateMetric((times.rows / median(times.exportMs[variant]!)) * 1000, (times.rows / median(times.fetchMs)) * 1000, EXPORT_RATE_GOAL, unit, note(times.rows, what)),
      times.fetchMs.map((fetchMs, round) => fetchMs / times.exportMs[variant]![round]!),
    );

  const events = await timeExports(target, ['--attempt', 'all'], { csv: ['--format', 'csv'], jsonl: ['--format', 'jsonl'] }, { rounds, warmUp });
  if (events.rows !== quiz.eventCount) throw new Error(`export walk: ${events.rows} events, ${quiz.eventCount} seeded`);
  for (const format of ['csv', 'jsonl'] as const) {
    results[`export ${eventCount.toLocaleString('en')} events to ${format}`] = rate(events, format, 'events/s', 'events');
  }
  const summaries = await timeExports(target, ['--attempt', 'all', '--summaries'], { csv: ['--format', 'csv'] }, { rounds, warmUp });
  results[`export summaries of ${eventCount.toLocaleString('en')} events to csv`] = rate(summaries, 'csv', 'summaries/s', 'attempt summaries');
  return results;
}

/** A quiz of 25 students with 400 events each, as Canvas's client writes them. */
export function canvasLikeFeed(count: number): FeedEvent[] {
  const perSubmission = 400;
  return canvasLikeAttempt(count).map((event, i) => ({
    id: `e${String(i).padStart(15, '0')}`,
    event_type: event.eventType,
    eventDataJson: event.eventDataJson,
    created_at: event.createdAt,
    client_timestamp: event.clientTimestamp ?? null,
    received_at: event.receivedAt,
    submission_id: String(100 + Math.floor(i / perSubmission)),
    attempt: 1,
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const data of ['canvas', 'awkward'] as const) {
    const count = 10_000;
    const server = await startFeedServer({ events: data === 'canvas' ? canvasLikeFeed(count) : awkwardFeedEvents(count) });
    try {
      const target = { url: server.url, token: 'good-token', course: '1', quiz: '2' };
      console.log(data, await timeExports(target, [], { csv: ['--format', 'csv'], jsonl: ['--format', 'jsonl'] }, { rounds: 5 }));
    } finally {
      await server.close();
    }
  }
}
