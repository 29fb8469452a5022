import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureTable, startEmbeddedStore } from '#local/embedded-store.ts';
import { batchBody, distinctEvents, httpEvent, submission } from '../test/support/http-events.ts';
import { type Bundle, type BundleName, buildBundle, type SdkMode, sdkBundled } from './bundles.ts';
import { median, type Metric, ratioMetric } from './results.ts';

export const COLD_START_GOAL = 1.3;
const run = promisify(execFile);
const runner = fileURLToPath(new URL('./cold-start-runner.mjs', import.meta.url));
const OUT = fileURLToPath(new URL('./out/cold-start', import.meta.url));
const TABLE = 'bench-cold-start';

interface Invocation {
  bundle: Bundle;
  eventFile: string;
  expectedStatus: number;
}

export interface ColdStartTimes {
  importMs: number[];
  totalMs: number[];
}

/**
 * Time from process start to the first response: a fresh `node` per run, with an environment as
 * clean as Lambda's (no NODE_EXTRA_CA_CERTS, whose certificate loading would slow every run alike),
 * against dynalite on loopback.
 */
async function coldStart({ bundle, eventFile, expectedStatus }: Invocation, endpoint: string): Promise<{ importMs: number; totalMs: number }> {
  const env = {
    PATH: process.env.PATH ?? '',
    TABLE_NAME: TABLE,
    DYNAMODB_ENDPOINT: endpoint,
    AWS_REGION: 'us-east-1',
    // Lambda hands every function its role's credentials in these variables.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // As the stack sets it for the functions (infra/constructs/events-function.ts); the baseline gets it too.
    NODE_OPTIONS: '--enable-source-maps',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  const { stdout } = await run(process.execPath, [runner, bundle.file, eventFile, String(expectedStatus)], { env });
  return JSON.parse(stdout);
}

export interface ColdStartOptions {
  runs?: number;
  /** Also measure the bundles with the SDK switch flipped, to inform that decision. */
  flipped?: boolean;
}

/** Median cold start of each function against the baseline's, runs interleaved so drifts hit all alike. */
export async function measureColdStart({ runs = 15, flipped = true }: ColdStartOptions = {}): Promise<Record<string, Metric>> {
  const store = await startEmbeddedStore();
  try {
    await ensureTable(store.endpoint, TABLE);
    await mkdir(OUT, { recursive: true });
    const path = submission('cold-start');
    const events = {
      post: httpEvent('POST', path, { body: batchBody(distinctEvents(5)) }),
      // No attempt: the reader's first page reads the submission, then queries (two round trips).
      get: httpEvent('GET', path),
      baseline: {},
    };
    for (const [name, event] of Object.entries(events)) await writeFile(`${OUT}/${name}.json`, JSON.stringify(event));
    const modes: SdkMode[] = flipped ? ['stack', 'flipped'] : ['stack'];
    const invocations: Record<string, Invocation> = {};
    for (const mode of modes) {
      const make = async (name: BundleName, event: keyof typeof events, expectedStatus: number) => {
        invocations[`${name}/${mode}`] = { bundle: await buildBundle(name, mode), eventFile: `${OUT}/${event}.json`, expectedStatus };
      };
      await make('writer', 'post', 204);
      await make('reader', 'get', 200);
      await make('baseline', 'baseline', 200);
    }
    // One untimed run each: fills the OS file cache, and the POST creates what the GET reads.
    for (const invocation of Object.values(invocations)) await coldStart(invocation, store.endpoint);
    const times: Record<string, ColdStartTimes> = {};
    const keys = Object.keys(invocations);
    for (let i = 0; i < runs; i++) {
      // Rotate the order each round.
      for (const key of [...keys.slice(i % keys.length), ...keys.slice(0, i % keys.length)]) {
        const { importMs, totalMs } = await coldStart(invocations[key]!, store.endpoint);
        const into = (times[key] ??= { importMs: [], totalMs: [] });
        into.importMs.push(importMs);
        into.totalMs.push(totalMs);
      }
    }
    const results: Record<string, Metric> = {};
    for (const mode of modes) {
      const baseline = times[`baseline/${mode}`]!;
      const sdk = sdkBundled(mode) ? 'SDK bundled' : 'SDK external';
      for (const name of ['writer', 'reader'] as const) {
        const ours = times[`${name}/${mode}`]!;
        const note =
          `import ${median(ours.importMs).toFixed(1)} ms vs ${median(baseline.importMs).toFixed(1)} ms; ` +
          `${runs} runs each${mode === 'flipped' ? '; not the stack\'s setting' : ''}`;
        results[`cold start ${name} (${sdk})`] = ratioMetric(median(ours.totalMs), median(baseline.totalMs), COLD_START_GOAL, 'ms', note);
      }
    }
    return results;
  } finally {
    await store.close();
  }
}
