import type { BuildOptions } from 'esbuild';
import { type BundlingOptions, LogLevel, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * Bundle the AWS SDK into each function (pinned to package-lock's version, tree-shaken from its ES
 * modules) instead of using the copy in the Lambda runtime.
 * Why: the deployed code then runs exactly the SDK the tests ran, not whatever version the runtime
 * ships that week; and one minified file loads from the deployment package instead of resolving
 * the SDK's hundreds of modules from /var/runtime at every cold start. Measured (`npm run bench`):
 * bundled, a function is ~410 KB and cold-starts ~35 ms sooner than with the SDK external (~75 KB);
 * the baseline shows the same gap. Flipping this to false makes the SDK external again.
 */
export const BUNDLE_AWS_SDK = true;

/** The SDK packages the Lambda Node.js runtime provides, when they are not bundled. */
const RUNTIME_PROVIDED_MODULES = ['@aws-sdk/*', '@smithy/*'];

/**
 * The functions' esbuild settings: the stack bundles with these (the local esbuild, never Docker), and
 * `esbuildOptions` below turns them into esbuild's own options for the bundle test and the benchmark.
 */
export const FUNCTION_BUNDLING = {
  format: OutputFormat.ESM,
  // Matches the runtime (Node.js 24). esbuild's target only decides which syntax is lowered; today the
  // output is byte-identical for node20 and node24, and the bundle test runs the artefact on Node 20.
  target: 'node24',
  // Prefer the packages' ES module builds: they tree-shake (the SDK's above all).
  mainFields: ['module', 'main'],
  minify: true,
  // Stack traces map back to the TypeScript through NODE_OPTIONS=--enable-source-maps. The map needs
  // only the mappings, not a copy of every source file: that keeps it small and quick to load.
  sourceMap: true,
  sourcesContent: false,
  // CommonJS dependencies inside an ES module bundle call require() for Node's built-ins.
  banner: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);",
  bundleAwsSDK: BUNDLE_AWS_SDK,
  externalModules: BUNDLE_AWS_SDK ? [] : RUNTIME_PROVIDED_MODULES,
  forceDockerBundling: false,
  logLevel: LogLevel.WARNING,
} satisfies BundlingOptions;

/** The file the Lambda runtime loads for an ES module handler `index.handler`. */
export const BUNDLE_FILE_NAME = 'index.mjs';

/**
 * esbuild's options for the same bundle the stack builds, as aws-lambda-nodejs passes them to the
 * esbuild CLI. The bundle test checks that both produce the same bytes.
 */
export function esbuildOptions(entry: string, outdir: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile: `${outdir}/${BUNDLE_FILE_NAME}`,
    bundle: true,
    platform: 'node',
    format: FUNCTION_BUNDLING.format === OutputFormat.ESM ? 'esm' : 'cjs',
    target: FUNCTION_BUNDLING.target,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    banner: { js: FUNCTION_BUNDLING.banner },
    external: [...FUNCTION_BUNDLING.externalModules],
    // aws-lambda-nodejs's LogLevel values are esbuild's own names.
    logLevel: FUNCTION_BUNDLING.logLevel as BuildOptions['logLevel'],
  };
}
