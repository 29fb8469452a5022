import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { median, type Metric } from './results.ts';
import type { WarmCommand, WarmReply, WarmSide } from './warm-worker.ts';
import { warmScenarios } from './warm-scenarios.ts';

export const WARM_GOAL = 1.3;
const worker = fileURLToPath(new URL('./warm-worker.ts', import.meta.url));

interface Side {
  child: ChildProcess;
  run(scenario: string, iterations: number): Promise<number>;
}

async function startSide(side: WarmSide): Promise<Side> {
  const child = fork(worker, [side], {
    // BENCH_PROFILE=1 writes each side's CPU profile to bench/out/profiles/ (open in Chrome DevTools).
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=bench/out/profiles', `--cpu-prof-name=warm-${side}.cpuprofile`] : [])],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const [ready] = (await once(child, 'message')) as [WarmReply];
  if (!('ready' in ready)) throw new Error(`warm ${side}: unexpected ${JSON.stringify(ready)}`);
  return {
    child,
    async run(scenario, iterations) {
      child.send({ scenario, iterations } satisfies WarmCommand);
      const [reply] = (await once(child, 'message')) as [WarmReply];
      if (!('microseconds' in reply)) throw new Error(`warm ${side}: unexpected ${JSON.stringify(reply)}`);
      return reply.microseconds;
    },
  };
}

/**
 * Handler time per request on a warm instance: ours against the minimal handlers, each in a
 * process of its own (as each would have its own Lambda instance, and so neither's shapes slow the
 * other's JIT), over the same canned DynamoDB answers. The two processes take turns in short blocks so
 * that whatever else the machine does falls on both alike; the ratio is the median of the rounds'
 * ratios, the µs figures each side's median block.
 */
export async function measureWarmOverhead({ rounds = 60, blockMs = 20, warmUpMs = 1000 } = {}): Promise<Record<string, Metric>> {
  const sides = { ours: await startSide('ours'), baseline: await startSide('baseline') };
  try {
    // Warm every scenario on both sides first, so the JIT has settled before any block counts.
    const names = warmScenarios().map(({ name }) => name);
    const iterations = new Map<string, number>();
    for (const name of names) {
      let probeUs = 0;
      for (const side of Object.values(sides)) {
        const us = await side.run(name, 100);
        await side.run(name, Math.max(100, Math.round((warmUpMs * 1000) / us)));
        probeUs = Math.max(probeUs, us);
      }
      iterations.set(name, Math.max(5, Math.round((blockMs * 1000) / probeUs)));
    }
    // Rounds go through every scenario, so a busy spell on the machine spreads over all of them.
    const samples = new Map(names.map((name) => [name, { ours: [] as number[], baseline: [] as number[], ratios: [] as number[] }]));
    for (let round = 0; round < rounds; round++) {
      for (const name of names) {
        const oursFirst = round % 2 === 0;
        const first = await (oursFirst ? sides.ours : sides.baseline).run(name, iterations.get(name)!);
        const second = await (oursFirst ? sides.baseline : sides.ours).run(name, iterations.get(name)!);
        const [ours, baseline] = oursFirst ? [first, second] : [second, first];
        const into = samples.get(name)!;
        into.ours.push(ours);
        into.baseline.push(baseline);
        into.ratios.push(ours / baseline);
      }
    }
    const results: Record<string, Metric> = {};
    for (const [name, { ours, baseline, ratios }] of samples) {
      const ratio = Math.round(median(ratios) * 1000) / 1000;
      results[name] = {
        ours: Math.round(median(ours)),
        baseline: Math.round(median(baseline)),
        ratio,
        goal: WARM_GOAL,
        unit: 'µs/request',
        met: ratio <= WARM_GOAL,
      };
    }
    return results;
  } finally {
    for (const { child } of Object.values(sides)) {
      child.send({ exit: true } satisfies WarmCommand);
      await once(child, 'exit');
    }
  }
}
