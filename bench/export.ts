/**
 * The export's rate: `npm run export` of a 10,000-event quiz to a CSV file, against merely fetching
 * the same pages (the walk's network and the server's share), from the same server in the same run.
 * By default the server is the small feed server of the export's tests; pass `api` (+ token, course,
 * quiz) to measure against the real local server instead.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseLinkHeader } from '../scripts/export/link-header.ts';
import { firstPageUrl, parseExportOptions } from '../scripts/export/options.ts';
import { runExport } from '../scripts/export/run-export.ts';
import { awkwardFeedEvents } from '../test/support/feed-events.ts';
import { type FeedEvent, startFeedServer } from '../test/support/feed-server.ts';
import { median, type Metric, ratioMetric } from './results.ts';
import { canvasLikeAttempt } from './summary.ts';

export interface ExportBenchOptions {
  count?: number;
  rounds?: number;
  format?: 'csv' | 'jsonl';
  /** Canvas-like events (the common case), or texts built to be hard on CSV and JSON (some with numbers beyond a double). */
  data?: 'canvas' | 'awkward';
  /** A running API to export from; absent: a feed server with `count` generated events. */
  api?: { url: string; token: string; course: string; quiz: string };
}

const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });

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

export async function timeExport({ count = 10_000, rounds = 5, format = 'csv', data = 'canvas', api }: ExportBenchOptions = {}) {
  const server = api ? undefined : await startFeedServer({ events: data === 'canvas' ? canvasLikeFeed(count) : awkwardFeedEvents(count) });
  const target = api ?? { url: server!.url, token: 'good-token', course: '1', quiz: '2' };
  const args = ['--api', target.url, '--token', target.token, '--course', target.course, '--quiz', target.quiz, '--format', format];
  const dir = await mkdtemp(join(tmpdir(), 'export-bench-'));
  try {
    const bare: number[] = [];
    const full: number[] = [];
    let rows = 0;
    for (let round = -1; round < rounds; round++) {
      let started = performance.now();
      rows = await fetchEveryPage(firstPageUrl(parseExportOptions(args, {})), target.token);
      const fetchMs = performance.now() - started;
      started = performance.now();
      const code = await runExport([...args, '--out', join(dir, `round-${round}.${format}`)], { stdout: discard(), stderr: discard(), environment: {} });
      const exportMs = performance.now() - started;
      if (code !== 0) throw new Error(`export exited ${code}`);
      if (round < 0) continue;
      bare.push(fetchMs);
      full.push(exportMs);
    }
    return { rows, fetchMs: median(bare), exportMs: median(full) };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await server?.close();
  }
}

/** The walk alone: every page fetched and read as text, nothing parsed or written. */
async function fetchEveryPage(url: string, token: string): Promise<number> {
  let next: string | undefined = url;
  let rows = 0;
  while (next !== undefined) {
    const response: Response = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${response.status} from ${next}`);
    rows += text.split('"id":').length - 1;
    next = parseLinkHeader(response.headers.get('link'), next).get('next');
  }
  return rows;
}

export async function measureExport(options: ExportBenchOptions = {}): Promise<Record<string, Metric>> {
  const format = options.format ?? 'csv';
  const { rows, fetchMs, exportMs } = await timeExport(options);
  const rate = Math.round((rows / exportMs) * 1000);
  const data = options.api ? 'from the API' : `${options.data ?? 'canvas'}-like data`;
  return {
    [`export ${rows.toLocaleString('en')} events to ${format}`]: ratioMetric(exportMs, fetchMs, null, 'ms', `${rate.toLocaleString('en')} events/s, ${data}; baseline: fetching the same pages only`),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const data of ['canvas', 'awkward'] as const) {
    for (const format of ['csv', 'jsonl'] as const) console.log(data, format, await timeExport({ format, data }));
  }
}
