/**
 * `npm run bench`: every performance figure, each against a baseline measured in the same run on this
 * machine. Prints a table and writes bench/results.json ({metric: {ours, baseline, ratio, goal, …}})
 * and bench/run-info.json (machine, Node, commit, load).
 *   --quick        a smoke run: few repetitions, short loads, a 5,000-event quiz; writes under bench/out/ instead
 *   --only=a,b     only some parts: round-trips, bundle-size, cold-start, warm, throughput, feed, summary, export
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureBundleSize } from './bundle-size.ts';
import { measureColdStart } from './cold-start.ts';
import { measureExport } from './export.ts';
import { measureFeed } from './feed.ts';
import { closeReportingServer } from './reporting-server.ts';
import { formatTable, type Results, writeResults } from './results.ts';
import { measureRoundTrips } from './round-trips.ts';
import { measureSummary, measureSummaryRead } from './summary.ts';
import { measureThroughput } from './throughput.ts';
import { measureWarmOverhead } from './warm-overhead.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The functions' logger would otherwise print the handlers' deliberate 5xx paths; none are expected here.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const quick = values.quick;
/** The feed and export parts' quiz: 500 submissions of 1 to 3 attempts. */
const quiz = quick ? { submissions: 50, eventCount: 5_000 } : { submissions: 500, eventCount: 50_000 };

const PARTS = {
  'round-trips': () => measureRoundTrips(),
  'bundle-size': () => measureBundleSize(),
  'cold-start': () => measureColdStart(quick ? { runs: 3 } : { runs: 21 }),
  warm: () => measureWarmOverhead(quick ? { rounds: 4, blockMs: 5, warmUpMs: 100 } : {}),
  throughput: () => measureThroughput(quick ? { duration: 1, connections: 4 } : {}),
  // The reporting parts share one local server; each quiz is seeded once, unmeasured.
  feed: () => measureFeed({ ...quiz, rounds: quick ? 1 : 3 }),
  summary: async () => ({
    ...(await measureSummaryRead(quick ? { count: 2_000, rounds: 1 } : { count: 10_000, rounds: 21 })),
    ...measureSummary(quick ? { count: 2_000, rounds: 3, warmUp: 1 } : {}),
  }),
  export: () => measureExport({ ...quiz, rounds: quick ? 1 : 2 }),
} satisfies Record<string, () => Promise<Results>>;
type Part = keyof typeof PARTS;

const only = values.only?.split(',') as Part[] | undefined;
for (const part of only ?? []) if (!(part in PARTS)) throw new Error(`unknown part ${part}; known: ${Object.keys(PARTS).join(', ')}`);

const here = fileURLToPath(new URL('.', import.meta.url));
// Only a full run of every part replaces the committed results.
const outDir = quick || only ? `${here}out/` : here;
await mkdir(outDir, { recursive: true });

const sh = (command: string, args: string[]) => {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};
const runInfo = {
  date: new Date().toISOString(),
  commit: sh('git', ['rev-parse', '--short', 'HEAD']),
  // Whether the measured code differs from the commit (this run's own outputs aside).
  dirty: sh('git', ['status', '--porcelain', '--', 'functions', 'lib', 'local', 'scripts', 'infra', 'bench', ':!bench/results.json', ':!bench/run-info.json']) !== '',
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  loadAverageAtStart: loadavg().map((load) => Math.round(load * 100) / 100),
  quick,
};
console.log(`bench on ${runInfo.cores} × ${runInfo.cpu}, Node ${runInfo.node}, load ${runInfo.loadAverageAtStart.join(' ')}`);

const results: Results = {};
const started = Date.now();
try {
  for (const [part, measure] of Object.entries(PARTS) as [Part, () => Promise<Results>][]) {
    if (only && !only.includes(part)) continue;
    const partStarted = Date.now();
    process.stdout.write(`${part} … `);
    Object.assign(results, await measure());
    console.log(`${((Date.now() - partStarted) / 1000).toFixed(1)} s`);
  }
} finally {
  await closeReportingServer();
}
console.log(`\n${formatTable(results)}\n`);

if (quick) console.log('Smoke run: too few repetitions for the figures to mean anything.');
const missed = Object.entries(results).filter(([, metric]) => metric.met === false);
console.log(missed.length === 0 ? 'Every goal met.' : `Goals missed: ${missed.map(([name]) => name).join('; ')}`);
await writeResults(`${outDir}results.json`, results);
await writeFile(`${outDir}run-info.json`, `${JSON.stringify({ ...runInfo, seconds: Math.round((Date.now() - started) / 1000), loadAverageAtEnd: loadavg().map((load) => Math.round(load * 100) / 100) }, null, 2)}\n`);
console.log(`Wrote ${outDir}results.json (${Math.round((Date.now() - started) / 1000)} s)`);
