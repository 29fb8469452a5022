import { FUNCTIONS } from '#lib/routes.ts';
import { type BundleName, buildBundle, type SdkMode, sdkBundled } from './bundles.ts';
import { absoluteMetric, type Metric, ratioMetric } from './results.ts';

/** Goals of issue 6: with the SDK bundled, at most 1.5× the baseline; with it external, at most 200 KB. */
export const BUNDLED_SIZE_GOAL = 1.5;
export const EXTERNAL_SIZE_GOAL_KB = 200;

/** The size of each function's bundle against the baseline's, built alike; both sides of the SDK switch. */
export async function measureBundleSize({ flipped = true } = {}): Promise<Record<string, Metric>> {
  const results: Record<string, Metric> = {};
  const modes: SdkMode[] = flipped ? ['stack', 'flipped'] : ['stack'];
  for (const mode of modes) {
    const baseline = await buildBundle('baseline', mode);
    for (const name of Object.keys(FUNCTIONS) as BundleName[]) {
      const ours = await buildBundle(name, mode);
      const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
      const suffix = mode === 'flipped' ? "; not the stack's setting" : '';
      if (sdkBundled(mode)) {
        results[`bundle ${name} (SDK bundled)`] = ratioMetric(kb(ours.bytes), kb(baseline.bytes), BUNDLED_SIZE_GOAL, 'KB', `index.mjs, minified${suffix}`);
      } else {
        // Without the SDK the baseline is a few hundred bytes, so a ratio says nothing: the goal is absolute.
        results[`bundle ${name} (SDK external)`] = { ...absoluteMetric(kb(ours.bytes), EXTERNAL_SIZE_GOAL_KB, 'KB', `index.mjs, minified${suffix}`), baseline: kb(baseline.bytes) };
      }
    }
  }
  return results;
}
