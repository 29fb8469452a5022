/**
 * `npm run crash-test`: crash durability of the local server. Quiz clients post and resend through
 * `local/start.ts` (a child process on a temporary DATA_DIR); mid-load the server is killed with
 * SIGKILL and restarted on the same DATA_DIR, several times; the clients finish their resends; then
 * every event must be stored exactly once. Loopback only, bounded by counts and a global time limit.
 *
 * Options (environment): CRASH_CLIENTS, CRASH_SUBMISSIONS, CRASH_ROUNDS, CRASH_KILLS, CRASH_SEED,
 * CRASH_TIME_LIMIT_S. Exits 0 when nothing was lost or duplicated, 1 otherwise.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mintLocalToken } from '#lib/auth/local-token.ts';
import { loadLocalSettings } from '#local/local-settings.ts';
import { type SubmissionPath, submission } from '../test/support/http-events.ts';
import { postBatch, readAllEvents } from '../test/support/local-http.ts';
import { type PostOutcome, QuizClient, reconcile, type Reconciliation, seededRandom, sumReconciliations } from '../test/support/quiz-client.ts';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

export interface CrashTestOptions {
  clients: number;
  /** The clients share these; with fewer submissions than clients, some post to the same one. */
  submissions: number;
  /** Batches each client records and posts. */
  rounds: number;
  maxEventsPerRound: number;
  /** SIGKILLs during the load. */
  kills: number;
  /** A kill comes once this many POSTs went out since the server last started. */
  postsBetweenKills: number;
  timeLimitMs: number;
  seed: number;
  log?: (line: string) => void;
}

export interface CrashTestResult extends Reconciliation {
  kills: number;
  posts: number;
  answered204: number;
  /** Requests in flight when the server died (or refused while it was down): no answer at all. */
  unanswered: number;
  fiveHundreds: number;
  /** Clients whose buffer was still not acknowledged at the end. */
  unfinishedClients: number;
  elapsedMs: number;
}

export const defaultCrashTestOptions: CrashTestOptions = {
  clients: 16,
  submissions: 10,
  rounds: 12,
  maxEventsPerRound: 40,
  kills: 3,
  postsBetweenKills: 45,
  timeLimitMs: 120_000,
  seed: 1,
};

/** The local server as a child process: `node --import tsx local/start.ts`, so that SIGKILL reaches the server itself. */
class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly exited: Promise<void>,
  ) {}

  static async start(dataDir: string, timeoutMs: number): Promise<ServerProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
    });
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        const match = /^Listening on (http:\/\/\S+)$/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolveUrl(match[1]!);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the server exited before listening (${code ?? signal}): ${stderr}`));
      });
    });
    child.stdout!.resume();
    return new ServerProcess(child, url, exited);
  }

  /** SIGKILL: no cleanup, no flush, no goodbye. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL if it does not exit in time. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export async function runCrashTest(options: Partial<CrashTestOptions> = {}): Promise<CrashTestResult> {
  const settings = { ...defaultCrashTestOptions, ...options };
  const log = settings.log ?? (() => {});
  const started = Date.now();
  const dataDir = await mkdtemp(join(tmpdir(), 'quiz-events-crash-'));
  let server: ServerProcess | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeLimit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the crash test passed its time limit of ${settings.timeLimitMs} ms`)), settings.timeLimitMs);
    });
    return await Promise.race([timeLimit, load()]);
  } finally {
    clearTimeout(timer);
    await server?.kill();
    await rm(dataDir, { recursive: true, force: true });
  }

  async function load(): Promise<CrashTestResult> {
    const random = seededRandom(settings.seed);
    const submissions = Array.from({ length: settings.submissions }, (_, i) => ({
      path: submission(`crash-${i}`),
      subject: `student-crash-${i}`,
    }));
    const tokens = new Map<string, string>();
    // The server started below inherits this environment, scope overrides included: mint for them.
    const { scopeOverrides } = loadLocalSettings();
    for (const { subject } of submissions) {
      tokens.set(subject, await mintLocalToken({ dataDir, sub: subject, scopes: ['read', 'write'], courseIds: ['*'], ttlSeconds: 3_600, scopeOverrides }));
    }
    server = await ServerProcess.start(dataDir, 30_000);
    log(`server started at ${server.url} on ${dataDir}`);

    // While the server is down, requests wait here: a real client would resend a few seconds later.
    let up: Promise<void> = Promise.resolve();
    let kills = 0;
    let postsSinceStart = 0;
    const outcomes: PostOutcome[] = [];

    async function crashAndRestart() {
      let restarted!: () => void;
      up = new Promise((resolveUp) => (restarted = resolveUp));
      kills++;
      await server!.kill();
      log(`kill ${kills}: SIGKILL after ${postsSinceStart} POSTs since the start`);
      postsSinceStart = 0;
      server = await ServerProcess.start(dataDir, 30_000);
      log(`server restarted at ${server.url}`);
      restarted();
    }

    const send = (path: SubmissionPath, subject: string) => async (body: string): Promise<PostOutcome> => {
      await up;
      const posting = postBatch(server!.url, path, body, { token: tokens.get(subject)! });
      if (++postsSinceStart === settings.postsBetweenKills && kills < settings.kills) {
        // Killed while this request (and others) are on their way.
        setImmediate(() => void crashAndRestart());
      }
      const outcome = await posting;
      outcomes.push(outcome);
      return outcome;
    };

    const clients = Array.from({ length: settings.clients }, (_, i) => {
      const { path, subject } = submissions[i % submissions.length]!;
      return {
        path,
        client: new QuizClient({
          name: `crash-client-${i}`,
          send: send(path, subject),
          random: seededRandom(settings.seed * 1_000 + i),
          clockMs: Date.parse('2014-10-08T19:00:00.000Z') + i * 3_600_000,
          repeatRate: 0.03,
        }),
      };
    });
    await Promise.all(
      clients.map(async ({ client }) => {
        for (let round = 0; round < settings.rounds; round++) {
          client.record(1 + Math.floor(random() * settings.maxEventsPerRound));
          await client.flush();
        }
        await client.drain(50);
      }),
    );
    await up;

    const parts: Reconciliation[] = [];
    for (const { path, subject } of submissions) {
      const sent = clients.filter((entry) => entry.path === path).flatMap(({ client }) => client.generated);
      if (sent.length === 0) continue;
      parts.push(reconcile(sent, await readAllEvents(server!.url, path, { token: tokens.get(subject)! })));
    }
    const count = (test: (outcome: PostOutcome) => boolean) => outcomes.filter(test).length;
    const result: CrashTestResult = {
      ...sumReconciliations(parts),
      kills,
      posts: outcomes.length,
      answered204: count((outcome) => outcome.status === 204),
      unanswered: count((outcome) => outcome.status === 'no-answer'),
      fiveHundreds: count((outcome) => typeof outcome.status === 'number' && outcome.status >= 500),
      unfinishedClients: clients.filter(({ client }) => client.pending.length > 0).length,
      elapsedMs: Date.now() - started,
    };
    await server!.stop();
    server = undefined;
    return result;
  }
}

export const formatCrashTestResult = (result: CrashTestResult, options: Pick<CrashTestOptions, 'clients' | 'submissions'>): string =>
  `[reliability] crash: ${result.kills} SIGKILLs mid-load, restarted on the same DATA_DIR; ${options.clients} clients on ` +
  `${options.submissions} submissions, ${result.posts} POSTs (${result.answered204} answered 204, ${result.unanswered} without an answer, ` +
  `${result.fiveHundreds} answered 5xx); events sent ${result.sent}, stored ${result.stored}, lost ${result.lost}, ` +
  `duplicated ${result.duplicated}; ${(result.elapsedMs / 1000).toFixed(1)} s`;

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const fromEnvironment = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
  const options: CrashTestOptions = {
    ...defaultCrashTestOptions,
    clients: fromEnvironment('CRASH_CLIENTS', defaultCrashTestOptions.clients),
    submissions: fromEnvironment('CRASH_SUBMISSIONS', defaultCrashTestOptions.submissions),
    rounds: fromEnvironment('CRASH_ROUNDS', defaultCrashTestOptions.rounds),
    kills: fromEnvironment('CRASH_KILLS', defaultCrashTestOptions.kills),
    seed: fromEnvironment('CRASH_SEED', defaultCrashTestOptions.seed),
    timeLimitMs: fromEnvironment('CRASH_TIME_LIMIT_S', defaultCrashTestOptions.timeLimitMs / 1000) * 1000,
    log: (line) => console.log(line),
  };
  try {
    const result = await runCrashTest(options);
    console.log(formatCrashTestResult(result, options));
    const ok = result.lost === 0 && result.duplicated === 0 && result.unexpected === 0 && result.unfinishedClients === 0 && result.kills === options.kills;
    console.log(ok ? 'OK: every event stored exactly once.' : 'FAILED: see the figures above.');
    process.exitCode = ok ? 0 : 1;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
