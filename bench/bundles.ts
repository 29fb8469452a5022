import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type FunctionName, FUNCTIONS } from '#lib/routes.ts';
import { BUNDLE_FILE_NAME, esbuildOptions, FUNCTION_BUNDLING } from '../infra/bundling.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const OUT = `${root}bench/out/bundles`;

export type BundleName = FunctionName | 'baseline';

const ENTRIES: Record<BundleName, string> = {
  writer: `${root}${FUNCTIONS.writer.entry}`,
  reader: `${root}${FUNCTIONS.reader.entry}`,
  baseline: `${root}bench/baseline/document-client-only.ts`,
};

/** Whether a bundle is built as the stack builds it, or with the AWS SDK switch flipped (to inform that decision). */
export type SdkMode = 'stack' | 'flipped';

export const sdkBundled = (mode: SdkMode): boolean => (mode === 'stack') === FUNCTION_BUNDLING.bundleAwsSDK;

/** The SDK packages the Lambda runtime provides: external in the flipped build when the stack bundles them. */
const RUNTIME_SDK = ['@aws-sdk/*', '@smithy/*'];

export interface Bundle {
  name: BundleName;
  mode: SdkMode;
  file: string;
  bytes: number;
}

/**
 * Builds a function (or the baseline) with exactly the stack's esbuild options (infra/bundling.ts);
 * `flipped` changes only which modules are external, to show the other side of the SDK switch.
 */
export async function buildBundle(name: BundleName, mode: SdkMode = 'stack'): Promise<Bundle> {
  const outdir = `${OUT}/${mode}/${name}`;
  const options = esbuildOptions(ENTRIES[name], outdir);
  if (mode === 'flipped') options.external = FUNCTION_BUNDLING.bundleAwsSDK ? RUNTIME_SDK : [];
  await build(options);
  const file = `${outdir}/${BUNDLE_FILE_NAME}`;
  return { name, mode, file, bytes: (await stat(file)).size };
}
