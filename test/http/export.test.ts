import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { summarizeAttempt } from '#lib/domain/attempt-summary.ts';
import { parseJson } from '#lib/domain/json-text.ts';
import { summaryJson } from '#lib/http/summary-body.ts';
import { ExitCode } from '../../scripts/export/exit-codes.ts';
import { EVENT_COLUMNS, SUMMARY_COLUMNS } from '../../scripts/export/rows.ts';
import { runExport } from '../../scripts/export/run-export.ts';
import { awkwardFeedEvents } from '../support/feed-events.ts';
import { type FeedEvent, feedEventJson, type FeedServer, type FeedServerOptions, startFeedServer } from '../support/feed-server.ts';
import { attemptEvents, storeOrder } from '../support/summary-streams.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** A stream that keeps what is written to it; a terminal when `isTTY`. */
class Collected extends Writable {
  readonly chunks: string[] = [];
  constructor(readonly isTTY = false) {
    super({ write: (chunk: Buffer, _encoding, done) => (this.chunks.push(chunk.toString()), done()) });
  }
  get text() {
    return this.chunks.join('');
  }
}

let dir: string;
let server: FeedServer | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'export-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const serve = async (options: FeedServerOptions) => (server = await startFeedServer(options));

/** Runs the export in-process against the server, recording the waits instead of waiting. */
async function exportFrom(feed: FeedServer, args: string[], { tty = false } = {}) {
  const stdout = new Collected();
  const stderr = new Collected(tty);
  const waits: number[] = [];
  const code = await runExport(['--api', feed.url, '--token', 'good-token', '--course', '1', '--quiz', '2', ...args], {
    stdout,
    stderr,
    environment: {},
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { code, stdout: stdout.text, stderr: stderr.text, waits };
}

const events = (count: number, seed?: number) => awkwardFeedEvents(count, seed);

/** The events as the API's JSON says them, parsed as the API's clients would (numbers kept exactly). */
const apiEvents = (feed: FeedEvent[]) => feed.map((event) => parseJson(feedEventJson(event)));

/** A CSV export read back by csv-parse, an independent RFC 4180 reader, into the API's event shape. */
function eventsFromCsv(csv: string) {
  const [header, ...rows] = parseCsv(csv, { relaxQuotes: false, skipEmptyLines: false }) as string[][];
  expect(header).toEqual([...EVENT_COLUMNS]);
  return rows.map(([submission_id, attempt, id, event_type, created_at, client_timestamp, received_at, event_data]) => ({
    id,
    event_type,
    event_data: parseJson(event_data!),
    created_at,
    client_timestamp: client_timestamp === '' ? null : client_timestamp,
    received_at,
    submission_id,
    attempt: Number(attempt),
  }));
}

const csvPath = (name: string) => join(dir, name);

describe('export: walking the feed', () => {
  it('exports every event of the quiz, following Link rel="next" to the end', async () => {
    const feed = events(250);
    const api = await serve({ events: feed });
    const { code, stdout, stderr } = await exportFrom(api, []);
    expect(code).toBe(ExitCode.done);
    expect(stderr).toBe('');
    expect(eventsFromCsv(stdout)).toEqual(apiEvents(feed));
    expect(api.requests).toHaveLength(3);
    expect(api.requests.every((request) => request.authorization === 'Bearer good-token')).toBe(true);
    expect(api.requests[0]!.target).toBe('/api/v1/courses/1/quizzes/2/submission_events?attempt=latest&per_page=100');
  });

  it("sends the filters as docs/api.md names them, Canvas's array style", async () => {
    const api = await serve({ events: events(150) });
    const { code } = await exportFrom(api, [
      '--submission', '7', '--submission', 'sis:8', '--attempt', 'all', '--event-types', 'page_blurred, page_focused',
      '--start', '2014-10-08T19:00:00Z', '--end', '2014-10-08T23:00:00+02:00',
    ]);
    expect(code).toBe(ExitCode.done);
    const first = new URL(api.requests[0]!.target, api.url);
    expect(first.search).toContain('submission_ids[]=7&submission_ids[]=sis%3A8&event_types[]=page_blurred&event_types[]=page_focused');
    expect(first.searchParams.get('attempt')).toBe('all');
    expect(first.searchParams.get('start_time')).toBe('2014-10-08T19:00:00Z');
    expect(first.searchParams.get('end_time')).toBe('2014-10-08T23:00:00+02:00');
    // The next page is the server's link, filters included.
    expect(new URL(api.requests[1]!.target, api.url).searchParams.getAll('event_types[]')).toEqual(['page_blurred', 'page_focused']);
  });

  it('round-trips 10,000 awkward events: the CSV read back equals the API’s events', async () => {
    const feed = events(10_000);
    const api = await serve({ events: feed });
    const out = csvPath('round-trip.csv');
    const { code } = await exportFrom(api, ['--out', out]);
    expect(code).toBe(ExitCode.done);
    const csv = await readFile(out, 'utf8');
    expect(eventsFromCsv(csv)).toEqual(apiEvents(feed));
    // event_data is the API's JSON text itself, not merely an equal value.
    const cells = (parseCsv(csv) as string[][]).slice(1).map((row) => row[7]);
    expect(cells).toEqual(feed.map((event) => event.eventDataJson));
    expect(csv.endsWith('\r\n')).toBe(true);
  }, 120_000);

  it('writes JSON Lines with each item exactly as the API returned it', async () => {
    const feed = events(230);
    const api = await serve({ events: feed });
    const { code, stdout } = await exportFrom(api, ['--format', 'jsonl']);
    expect(code).toBe(ExitCode.done);
    expect(stdout).toBe(feed.map((event) => `${feedEventJson(event)}\n`).join(''));
  });

  it('exports summaries, one row per attempt, every scalar a column and the rest as JSON text', async () => {
    const attempts = fc.sample(attemptEvents({ maxLength: 30 }), { numRuns: 60, seed: 11 });
    const summaries = attempts.map((generated, i) => summarizeAttempt(`s${String(i).padStart(3, '0')}`, 1 + (i % 2), storeOrder(generated).map((event) => event.stored)));
    const api = await serve({ summaries: summaries.map(summaryJson) });
    const { code, stdout } = await exportFrom(api, ['--summaries', '--attempt', 'all']);
    expect(code).toBe(ExitCode.done);
    expect(api.requests.map((request) => new URL(request.target, api.url).pathname)).toEqual(Array(3).fill('/api/v1/courses/1/quizzes/2/submission_events/summary'));
    expect(new URL(api.requests[0]!.target, api.url).searchParams.get('per_page')).toBe('25');

    const [header, ...rows] = parseCsv(stdout) as string[][];
    expect(header).toEqual([...SUMMARY_COLUMNS]);
    expect(rows).toHaveLength(summaries.length);
    rows.forEach((row, i) => {
      const cell = (name: string) => row[SUMMARY_COLUMNS.indexOf(name as never)]!;
      const summary = summaries[i]!;
      expect(cell('submission_id')).toBe(summary.submissionId);
      expect(cell('event_count')).toBe(String(summary.eventCount));
      expect(cell('first_event_at')).toBe(summary.firstEventAt ?? '');
      expect(cell('duration_ms')).toBe(summary.durationMs === null ? '' : String(summary.durationMs));
      expect(cell('max_receive_lag_ms')).toBe(summary.maxReceiveLagMs === null ? '' : String(summary.maxReceiveLagMs));
      expect(cell('unfocused_ms_total')).toBe(String(summary.unfocusedMsTotal));
      expect(cell('unfocused_interval_count')).toBe(String(summary.unfocusedIntervals.length));
      expect(cell('event_counts.page_blurred')).toBe(String(summary.eventCounts.get('page_blurred') ?? 0));
      expect(cell('questions_flagged')).toBe(String([...summary.questions.values()].filter((q) => q.flagged).length));
      expect(cell('questions_viewed')).toBe(String([...summary.questions.values()].filter((q) => q.viewCount > 0).length));
      const api = JSON.parse(summaryJson(summary));
      expect(JSON.parse(cell('unfocused_intervals'))).toEqual(api.unfocused_intervals);
      expect(JSON.parse(cell('questions'))).toEqual(api.questions);
      const other = JSON.parse(cell('event_counts.other'));
      const known = SUMMARY_COLUMNS.filter((name) => name.startsWith('event_counts.') && name !== 'event_counts.other').map((name) => Number(cell(name)));
      expect(known.reduce((a, b) => a + b, 0) + Object.values<number>(other).reduce((a, b) => a + b, 0)).toBe(summary.eventCount);
    });
  });

  it('shows progress on stderr when it is a terminal, and nothing otherwise', async () => {
    const api = await serve({ events: events(120) });
    const quiet = await exportFrom(api, []);
    const shown = await exportFrom(api, [], { tty: true });
    expect(quiet.stderr).toBe('');
    expect(shown.stderr).toMatch(/120 events in [\d.]+ s\n$/);
    expect(shown.stdout).toBe(quiet.stdout);
  });

  it('refuses to follow a next link to another origin, which would hand it the token', async () => {
    const api = await serve({
      events: events(150),
      linkHeader: ({ current }) => `<${current}>; rel="current",<http://elsewhere.test/api/v1/x?page=2>; rel="next"`,
    });
    const { code, stderr } = await exportFrom(api, []);
    expect(code).toBe(ExitCode.failed);
    expect(stderr).toContain('another origin');
    expect(api.requests).toHaveLength(1);
  });
});

describe('export: a busy or failing server', () => {
  it('waits as Retry-After says on 429 and 503, then goes on without losing or repeating a row', async () => {
    const feed = events(250);
    const answers: Record<number, { status: number; headers?: Record<string, string> }> = {
      0: { status: 429, headers: { 'retry-after': '3' } },
      1: { status: 503, headers: { 'retry-after': '1' } },
      3: { status: 503, headers: { 'retry-after': new Date(Date.now() + 3600_000).toUTCString() } },
      4: { status: 503 },
    };
    const api = await serve({ events: feed, script: (_, i) => answers[i] && { ...answers[i]!, body: '{"errors":[{"message":"busy"}]}' } });
    const { code, stdout, waits } = await exportFrom(api, []);
    expect(code).toBe(ExitCode.done);
    // 3 s and 1 s as asked; an hour capped at a minute; no Retry-After: a second, doubling.
    expect(waits).toEqual([3000, 1000, 60_000, 2000]);
    expect(eventsFromCsv(stdout)).toEqual(apiEvents(feed));
  });

  it('tries again after a dropped connection', async () => {
    const feed = events(150);
    const api = await serve({ events: feed, script: (_, i) => (i === 1 || i === 2 ? 'drop' : undefined) });
    const { code, stdout, waits } = await exportFrom(api, []);
    expect(code).toBe(ExitCode.done);
    expect(waits).toEqual([1000, 2000]);
    expect(eventsFromCsv(stdout)).toEqual(apiEvents(feed));
  });

  it('gives up with exit 1 when the server stays busy', async () => {
    const api = await serve({ events: events(10), script: () => ({ status: 503, headers: { 'retry-after': '1' } }) });
    const { code, stderr, waits } = await exportFrom(api, []);
    expect(code).toBe(ExitCode.failed);
    expect(waits).toHaveLength(8);
    expect(stderr).toMatch(/^503 Service Unavailable from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/courses\/1\/quizzes\/2\/submission_events after 9 tries; try again later\n$/);
  });

  it.each([
    [401, { token: 'another-token' }, ExitCode.unauthorized, /^401 Unauthorized: the token was not accepted .*get a new token/],
    [403, { course: '99' }, ExitCode.forbidden, /^403 Forbidden: .*lacks the read scope .*other courses .*user not authorized to perform that action/],
  ] as const)('explains a %i in one line, with its own exit code', async (_, options, exitCode, message) => {
    const api = await serve({ events: events(10), ...options });
    const out = csvPath(`refused-${exitCode}.csv`);
    const { code, stderr } = await exportFrom(api, ['--out', out]);
    expect(code).toBe(exitCode);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect((await readdir(dir)).filter((name) => name.startsWith(`refused-${exitCode}`))).toEqual([]);
  });

  it('explains a 404 as a wrong --api or ids', async () => {
    const api = await serve({ events: events(10) });
    const stdout = new Collected();
    const stderr = new Collected();
    const code = await runExport(['--api', `${api.url}/prod`, '--token', 'good-token', '--course', '1', '--quiz', '2'], { stdout, stderr, environment: {} });
    expect(code).toBe(ExitCode.notFound);
    expect(stderr.text).toMatch(/^404 Not Found: http:\/\/127\.0\.0\.1:\d+\/prod\/api\/v1\/courses\/1\/quizzes\/2\/submission_events \(server: Not Found\); check --api/);
  });

  it('passes on the server’s message for a 400 and exits 2', async () => {
    const api = await serve({ script: () => ({ status: 400, body: '{"errors":[{"message":"start_time must be before end_time","field":"start_time"}]}' }) });
    const { code, stderr } = await exportFrom(api, []);
    expect(code).toBe(ExitCode.usage);
    expect(stderr).toContain('start_time must be before end_time');
  });

  it.each([
    [['--attempt', 'first']],
    [['--format', 'xlsx']],
    [['--start', 'yesterday']],
    [['--start', '2014-10-08T20:00:00Z', '--end', '2014-10-08T19:00:00Z']],
    [['--summaries', '--event-types', 'page_blurred']],
    [['--submission', 'a/b']],
    [['--unknown']],
  ])('refuses the command line %j with exit 2 before asking the server', async (args) => {
    const api = await serve({ events: events(10) });
    const { code, stderr } = await exportFrom(api, args);
    expect(code).toBe(ExitCode.usage);
    expect(stderr).toContain('usage: npm run export');
    expect(api.requests).toHaveLength(0);
  });
});

describe('export: a file that is whole or marked as not', () => {
  /** The server fails every request from `failFrom` on with 403, until `healed` is set. */
  function flaky(feed: FeedEvent[], failFrom: number) {
    const state = { healed: false };
    const options: FeedServerOptions = {
      events: feed,
      script: (_, i) => (!state.healed && i >= failFrom ? { status: 500, body: '{"errors":[{"message":"An error occurred."}]}' } : undefined),
    };
    return { state, options };
  }

  it('writes FILE.partial, renames it to FILE only when complete, and a rerun goes on from where it stopped', async () => {
    const feed = events(450);
    const { state, options } = flaky(feed, 2);
    const api = await serve(options);
    const out = csvPath('resume.csv');

    const failed = await exportFrom(api, ['--out', out]);
    expect(failed.code).toBe(ExitCode.failed);
    expect(failed.stderr).toContain('500 Internal Server Error');
    expect(failed.stderr).toContain(`${out}.partial; run the same command again`);
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['resume.csv.partial', 'resume.csv.partial.resume']));
    expect(await readdir(dir)).not.toContain('resume.csv');
    expect(eventsFromCsv(await readFile(`${out}.partial`, 'utf8'))).toEqual(apiEvents(feed.slice(0, 200)));

    state.healed = true;
    const before = api.requests.length;
    const resumed = await exportFrom(api, ['--out', out]);
    expect(resumed.code).toBe(ExitCode.done);
    // The rerun asked for pages 3 to 5 only.
    expect(api.requests.length - before).toBe(3);
    expect(new URL(api.requests[before]!.target, api.url).searchParams.get('page')).toMatch(/^bookmark:/);
    expect(eventsFromCsv(await readFile(out, 'utf8'))).toEqual(apiEvents(feed));
    expect((await readdir(dir)).filter((name) => name.startsWith('resume.csv'))).toEqual(['resume.csv']);
  });

  it('drops a half-written page left in FILE.partial before going on', async () => {
    const feed = events(300);
    const { state, options } = flaky(feed, 1);
    const api = await serve(options);
    const out = csvPath('torn.csv');
    await exportFrom(api, ['--out', out]);
    await appendFile(`${out}.partial`, 'sub,1,half a row "with an open quote\r\n');
    state.healed = true;
    expect((await exportFrom(api, ['--out', out])).code).toBe(ExitCode.done);
    expect(eventsFromCsv(await readFile(out, 'utf8'))).toEqual(apiEvents(feed));
  });

  it('starts over when the rerun asks for something else', async () => {
    const feed = events(300);
    const { state, options } = flaky(feed, 1);
    const api = await serve(options);
    const out = csvPath('other.csv');
    await exportFrom(api, ['--out', out]);
    state.healed = true;
    expect((await exportFrom(api, ['--out', out, '--format', 'jsonl'])).code).toBe(ExitCode.done);
    expect(await readFile(out, 'utf8')).toBe(feed.map((event) => `${feedEventJson(event)}\n`).join(''));
  });
});

describe('scripts/export.ts', () => {
  const run = async (args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['scripts/export.ts', ...args], { cwd: REPO_ROOT });
      return { code: 0, stdout, stderr };
    } catch (error) {
      return error as { code: number; stdout: string; stderr: string };
    }
  };

  it('exits with the documented code and a one-line reason', async () => {
    const api = await serve({ events: events(10), token: 'the-right-one' });
    const { code, stderr, stdout } = await run(['--api', api.url, '--token', 'a-wrong-one', '--course', '1', '--quiz', '2']);
    expect(code).toBe(ExitCode.unauthorized);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^401 Unauthorized: [^\n]+\n$/);
  });
});
