import { spawn } from 'node:child_process';
import { isBuiltin } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpEvent, HttpResult } from '#lib/http/types.ts';
import { FUNCTIONS as FUNCTION_ENTRIES } from '#lib/routes.ts';
import { type EmbeddedStore, ensureTable, LOCAL_REGION, startEmbeddedStore } from '#local/embedded-store.ts';
import { BUNDLE_AWS_SDK, BUNDLE_FILE_NAME, esbuildOptions } from '../../infra/bundling.ts';
import { batchBody, httpEvent, submission } from '../support/http-events.ts';
import { DEPLOYMENT_CONTEXT, resource, synth } from './synth.ts';

const TABLE = 'bundled-artefact-events';
const FUNCTIONS = { writer: { prefix: 'WriterFunction', entry: FUNCTION_ENTRIES.writer.entry }, reader: { prefix: 'ReaderFunction', entry: FUNCTION_ENTRIES.reader.entry } } as const;
type FunctionName = keyof typeof FUNCTIONS;

interface Artefact {
  /** The folder CDK zips and uploads as the function's code. */
  dir: string;
  /** The function's environment as the template sets it, the table's name resolved. */
  environment: Record<string, string>;
}

let store: EmbeddedStore;
const artefacts = {} as Record<FunctionName, Artefact>;

beforeAll(async () => {
  store = await startEmbeddedStore();
  await ensureTable(store.endpoint, TABLE);
  // The stack bundles its functions as `cdk synth` and `cdk deploy` do: the local esbuild, the stack's settings.
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-out-'));
  const { template } = synth(DEPLOYMENT_CONTEXT, { bundle: true, outdir });
  for (const [name, { prefix }] of Object.entries(FUNCTIONS) as [FunctionName, (typeof FUNCTIONS)[FunctionName]][]) {
    const fn = resource(template, 'AWS::Lambda::Function', prefix);
    const { TABLE_NAME: _tableRef, ...variables } = fn.Properties.Environment.Variables as Record<string, string>;
    artefacts[name] = { dir: join(outdir, fn.Metadata['aws:asset:path']), environment: { ...variables, TABLE_NAME: TABLE } };
  }
});

afterAll(async () => {
  await store?.close();
});

/**
 * Runs a function's deployed artefact in a fresh Node process, as the Lambda runtime does: import the
 * handler module (the functions read their environment then), then invoke it with one event.
 */
function invoke(name: FunctionName, event: HttpEvent, overrides: Record<string, string> = {}): Promise<{ result: HttpResult; output: string }> {
  const { dir, environment } = artefacts[name];
  const runtime = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(join(dir, BUNDLE_FILE_NAME)).href)});
    process.once('message', async (event) => {
      const context = { awsRequestId: 'invocation-1', functionName: ${JSON.stringify(name)}, getRemainingTimeInMillis: () => 10_000 };
      const result = await handler(event, context);
      process.send(result, () => process.exit(0));
    });
    process.send('ready');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', runtime], {
    // Nothing of this process's environment: only what Lambda would set, and the local endpoint.
    env: {
      ...environment,
      AWS_REGION: LOCAL_REGION,
      DYNAMODB_ENDPOINT: store.endpoint,
      // Lambda runs Node 24; this test runs the same bundle on the Node it has.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...overrides,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolvePromise, reject) => {
    child.on('message', (message) => {
      if (message === 'ready') child.send(event);
      else child.once('exit', () => resolvePromise({ result: message as HttpResult, output }));
    });
    child.on('exit', (code) => code !== 0 && reject(new Error(`the ${name} artefact exited with ${code}:\n${output}`)));
  });
}

describe('the deployed artefacts', () => {
  it('store a batch through the writer and read it back through the reader, with the functions\' own environment', async () => {
    // Arrange
    const path = submission('bundled-1');
    const flagged = { client_timestamp: '2014-10-08T19:29:58.123Z', event_type: 'question_flagged', event_data: { questionId: '1', flagged: true } };

    // Act
    const { result: posted } = await invoke('writer', httpEvent('POST', path, { body: batchBody([flagged]), subject: 'student-1' }));
    const { result: read } = await invoke('reader', httpEvent('GET', path, { subject: 'student-1' }));

    // Assert
    expect(posted.statusCode).toBe(204);
    expect(read.statusCode).toBe(200);
    expect(JSON.parse(read.body!).quiz_submission_events).toEqual([
      expect.objectContaining({ event_type: 'question_flagged', event_data: flagged.event_data, created_at: flagged.client_timestamp, attempt: 1 }),
    ]);
    expect(read.headers?.link).toMatch(/rel="current"/);
  });

  it('map a logged stack trace back to the sources through --enable-source-maps', async () => {
    // Arrange: a table that does not exist makes the store fail with an error the handler logs
    const event = httpEvent('POST', submission('bundled-2'), { body: batchBody([{ event_type: 'page_blurred' }]) });

    // Act
    const { result, output } = await invoke('writer', event, { TABLE_NAME: 'no-such-table' });

    // Assert
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body!)).toEqual({ errors: [{ message: 'An error occurred.', error_code: 'internal_server_error' }] });
    expect(output).toMatch(/ResourceNotFoundException/);
    expect(output).toMatch(/lib\/store\/dynamodb-event-store\.ts:\d+:\d+/);
  });

  it.each(Object.keys(FUNCTIONS) as FunctionName[])('%s: is one minified ES module and its source map, nothing else', (name) => {
    // Arrange
    const { dir } = artefacts[name];
    const code = readFileSync(join(dir, BUNDLE_FILE_NAME), 'utf8');
    const map = JSON.parse(readFileSync(join(dir, `${BUNDLE_FILE_NAME}.map`), 'utf8'));

    // Assert
    expect(readdirSync(dir).sort()).toEqual([BUNDLE_FILE_NAME, `${BUNDLE_FILE_NAME}.map`]);
    expect(code).toMatch(/^import\{createRequire\}from'node:module';/);
    expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\n?$/);
    expect(code).not.toContain('withStorageErrors');
    expect(map.sources.some((source: string) => source.endsWith(FUNCTIONS[name].entry))).toBe(true);
    expect(map.sourcesContent).toBeUndefined();
  });

  it.each(Object.keys(FUNCTIONS) as FunctionName[])(
    '%s: is byte for byte what esbuildOptions() builds, and imports nothing but Node built-ins',
    async (name) => {
      // Arrange
      const outdir = mkdtempSync(join(tmpdir(), 'esbuild-'));

      // Act
      const { metafile } = await build({ ...esbuildOptions(resolve(FUNCTIONS[name].entry), outdir), metafile: true });

      // Assert: the benchmark's bundle is the deployed code…
      const deployed = readFileSync(join(artefacts[name].dir, BUNDLE_FILE_NAME));
      expect(readFileSync(join(outdir, BUNDLE_FILE_NAME)).equals(deployed)).toBe(true);
      // …which, with the SDK bundled, needs no package from the runtime
      const imports = Object.values(metafile.outputs).flatMap((output) => output.imports.filter((i) => i.external).map((i) => i.path));
      expect(BUNDLE_AWS_SDK).toBe(true);
      expect(imports.filter((path) => !isBuiltin(path))).toEqual([]);
    },
  );
});
