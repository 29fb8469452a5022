// One cold start: a fresh `node` imports a bundle and completes its first invocation. Plain JavaScript,
// so that nothing but node itself runs before the bundle. Prints {importMs, totalMs}, both counted from
// process start (performance.timeOrigin), after the result has been checked.
// Usage: node cold-start-runner.mjs BUNDLE EVENT_JSON_FILE EXPECTED_STATUS
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundle, eventFile, expectedStatus] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = {
  awsRequestId: 'cold-start',
  functionName: 'cold-start',
  memoryLimitInMB: '512',
  getRemainingTimeInMillis: () => 10_000,
};

const { handler } = await import(pathToFileURL(bundle).href);
const importMs = performance.now();
const result = await handler(event, context);
const totalMs = performance.now();
if (String(result?.statusCode) !== expectedStatus) {
  console.error(`expected ${expectedStatus}, got ${JSON.stringify(result)}`);
  process.exit(1);
}
process.stdout.write(JSON.stringify({ importMs, totalMs }));
