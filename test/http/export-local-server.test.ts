import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintLocalToken } from '#lib/auth/local-token.ts';
import { loadLocalAuthorize } from '#local/local-authorizer.ts';
import { type LocalServer, startLocalServer } from '#local/server.ts';
import { ExitCode } from '../../scripts/export/exit-codes.ts';
import { EVENT_COLUMNS } from '../../scripts/export/rows.ts';
import { runExport } from '../../scripts/export/run-export.ts';
import { parseLinks } from '../support/api-shapes.ts';
import { batchBody, eventsPath } from '../support/http-events.ts';

/**
 * `npm run export` against the real local server, with real tokens: what a teacher's one-liner
 * writes must be exactly what the API returns (docs/api.md, "Export").
 */
const COURSE = '1';
const QUIZ = 'exported';
const SUBMISSIONS = 10;
const EVENTS_PER_SUBMISSION = 1000;

let dataDir: string;
let server: LocalServer;
let readToken: string;

class Collected extends Writable {
  readonly chunks: string[] = [];
  constructor() {
    super({ write: (chunk: Buffer, _encoding, done) => (this.chunks.push(chunk.toString()), done()) });
  }
  get text() {
    return this.chunks.join('');
  }
}

/** Awkward but valid event_data: quotes, commas, line breaks, non-ASCII, a number no double holds. */
const eventData = (s: number, i: number): unknown =>
  i % 4 === 0 ? { text: `He said "hi", then\r\nleft; é ✓ ${i}` } : i % 4 === 1 ? [String(i), 12345678901234567890n.toString()] : i % 4 === 2 ? null : { questionId: `${s}`, flagged: i % 8 === 2 };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'export-e2e-'));
  server = await startLocalServer({ port: 0, dataDir, authorize: await loadLocalAuthorize(dataDir) });
  readToken = await mintLocalToken({ dataDir, sub: 'teacher', scopes: ['read'], courseIds: [COURSE], ttlSeconds: 3600 });
  for (let s = 1; s <= SUBMISSIONS; s++) {
    const writer = await mintLocalToken({ dataDir, sub: `student-${s}`, scopes: ['write'], courseIds: [COURSE], ttlSeconds: 3600 });
    const events = Array.from({ length: EVENTS_PER_SUBMISSION }, (_, i) => ({
      client_timestamp: new Date(Date.parse('2014-10-08T19:00:00Z') + i * 1000).toISOString(),
      event_type: ['page_blurred', 'page_focused', 'question_viewed', 'question_flagged'][i % 4],
      event_data: eventData(s, i),
    }));
    const path = eventsPath({ courseId: COURSE, quizId: QUIZ, submissionId: `s${s}` });
    const posted = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
      body: batchBody(events),
    });
    expect(posted.status).toBe(204);
  }
}, 120_000);
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function exportWith(args: string[], token = readToken) {
  const stdout = new Collected();
  const stderr = new Collected();
  const code = await runExport(['--api', server.url, '--token', token, '--course', COURSE, '--quiz', QUIZ, ...args], { stdout, stderr, environment: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Every event of the quiz as the API returns it, page by page. */
async function apiEvents(): Promise<Record<string, unknown>[]> {
  const events: Record<string, unknown>[] = [];
  let next: string | undefined = `${server.url}/api/v1/courses/${COURSE}/quizzes/${QUIZ}/submission_events?attempt=all&per_page=100`;
  while (next) {
    const page: Response = await fetch(next, { headers: { authorization: `Bearer ${readToken}` } });
    expect(page.status).toBe(200);
    events.push(...((await page.json()) as { quiz_submission_events: Record<string, unknown>[] }).quiz_submission_events);
    next = parseLinks(page.headers.get('link') ?? undefined).next;
  }
  return events;
}

describe('the export, against the local server', () => {
  it(`writes a CSV of all ${SUBMISSIONS * EVENTS_PER_SUBMISSION} events that parses back (RFC 4180) to exactly the API's events`, async () => {
    // Act
    const out = join(dataDir, 'quiz.csv');
    const { code } = await exportWith(['--attempt', 'all', '--out', out]);
    const rows = parseCsv(await readFile(out, 'utf8'), { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
    // Assert
    expect(code).toBe(ExitCode.done);
    const expected = await apiEvents();
    expect(rows).toHaveLength(SUBMISSIONS * EVENTS_PER_SUBMISSION);
    expect(Object.keys(rows[0]!)).toEqual([...EVENT_COLUMNS]);
    const asRow = (event: Record<string, unknown>) =>
      Object.fromEntries(EVENT_COLUMNS.map((column) => [column, column === 'event_data' ? JSON.stringify(event[column]) : String(event[column] ?? '')]));
    expect(rows.map((row) => ({ ...row, event_data: JSON.stringify(JSON.parse(row.event_data!)) }))).toEqual(expected.map(asRow));
    // Long digit strings and escapes come through untouched
    expect(rows[1]!.event_data).toContain('12345678901234567890');
  });

  it('writes JSON Lines that are the API\'s events, one per line', async () => {
    const { code, stdout } = await exportWith(['--attempt', 'all', '--format', 'jsonl', '--submission', 's3']);
    expect(code).toBe(ExitCode.done);
    const lines = stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual((await apiEvents()).filter((event) => event.submission_id === 's3'));
  });

  it('writes one summary row per attempt', async () => {
    const { code, stdout } = await exportWith(['--summaries', '--format', 'jsonl']);
    const summaries = stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(code).toBe(ExitCode.done);
    expect(summaries.map((summary) => [summary.submission_id, summary.event_count])).toEqual(
      Array.from({ length: SUBMISSIONS }, (_, i) => `s${i + 1}`).sort().map((id) => [id, EVENTS_PER_SUBMISSION]),
    );
  });

  it('stops with a message and a non-zero code on 401 and 403', async () => {
    const unauthorized = await exportWith([], 'not-a-token');
    const otherCourse = await exportWith([], await mintLocalToken({ dataDir, sub: 'teacher', scopes: ['read'], courseIds: ['2'], ttlSeconds: 60 }));
    expect(unauthorized.code).toBe(ExitCode.unauthorized);
    expect(unauthorized.stderr).toMatch(/401/);
    expect(otherCourse.code).toBe(ExitCode.forbidden);
    expect(otherCourse.stderr).toMatch(/403/);
  });
});
