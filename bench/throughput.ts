import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { mintLocalToken } from '#lib/auth/local-token.ts';
import { batchBody, distinctEvents, eventsPath, submission } from '../test/support/http-events.ts';
import { absoluteMetric, type Metric } from './results.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

interface LocalServer {
  url: string;
  dataDir: string;
  /** Whether the server still runs, and the end of what it printed: for an error message. */
  describe(): string;
  stop(): Promise<void>;
}

/** `npm start` on a free loopback port over a fresh data folder, as a process group of its own. */
async function startServer(): Promise<LocalServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'quiz-events-bench-'));
  const child: ChildProcess = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, 'SIGTERM');
      await once(child, 'exit');
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not listen within 60 s:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const match = /Listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  const describe = () =>
    `${child.exitCode === null && child.signalCode === null ? 'the server is running' : `the server exited (${child.exitCode ?? child.signalCode})`}; its output ends:\n${output.slice(-2000)}`;
  return { url, dataDir, describe, stop };
}

export interface ThroughputOptions {
  /** Seconds per scenario. */
  duration?: number;
  connections?: number;
}

/**
 * Requests per second through the local server (the same handlers, over dynalite in the server's
 * process) with autocannon on loopback: POST batches of 10 and 50 distinct events, and GET pages.
 * Each scenario runs for a fixed time over a fixed number of connections, so the whole is bounded.
 */
export async function measureThroughput({ duration = 5, connections = 8 }: ThroughputOptions = {}): Promise<Record<string, Metric>> {
  const server = await startServer();
  try {
    const token = await mintLocalToken({ dataDir: server.dataDir, sub: 'bench', scopes: ['read', 'write'], courseIds: ['1'], ttlSeconds: 3600 });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const results: Record<string, Metric> = {};
    const load = async (name: string, request: Parameters<typeof autocannon>[0]['requests'] & object, perRequest: number, unit: string) => {
      const run = autocannon({ url: server.url, connections, duration, timeout: 10, headers, requests: request });
      let firstError: Error | undefined;
      run.on('reqError', (error) => (firstError ??= error));
      const result = await run;
      if (result.errors > 0 || result.non2xx > 0) {
        throw new Error(
          `${name}: ${result.errors} errors (${result.timeouts} timeouts; the first: ${firstError?.message}), ${result.non2xx} non-2xx ` +
            `(${JSON.stringify(result.statusCodeStats)}); ${server.describe()}`,
        );
      }
      const rate = (result.requests.total / result.duration) * perRequest;
      const note = `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; ${result.requests.total} requests, ${connections} connections, ${duration} s`;
      results[name] = absoluteMetric(rate, null, unit, note);
    };

    for (const batch of [10, 50]) {
      let sent = 0;
      const start = Date.parse('2014-10-08T19:00:00.000Z');
      await load(
        `throughput POST ${batch} events/batch`,
        [
          {
            method: 'POST',
            // Every request a new batch of distinct events, spread over 100 submissions.
            setupRequest: (request) => {
              const n = sent++;
              const events = distinctEvents(batch, start + n * batch * 1000);
              return { ...request, path: eventsPath(submission(`throughput-${n % 100}`)), body: batchBody(events) };
            },
          },
        ],
        batch,
        'events/s',
      );
    }

    const readPath = submission('throughput-read');
    const seeded = await fetch(`${server.url}${eventsPath(readPath)}`, {
      method: 'POST',
      headers,
      body: batchBody(distinctEvents(1000)),
    });
    if (seeded.status !== 204) throw new Error(`seeding the read scenario: ${seeded.status}`);
    for (const perPage of [10, 100]) {
      await load(
        `throughput GET ${perPage}/page`,
        [{ method: 'GET', path: `${eventsPath(readPath)}?attempt=1&per_page=${perPage}` }],
        1,
        'pages/s',
      );
    }
    return results;
  } finally {
    await server.stop();
  }
}
