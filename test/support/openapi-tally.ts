/**
 * vitest globalSetup: gives the test files a folder to count the answers they checked against
 * docs/openapi.json (openapi-setup.ts), and prints the run's total at the end.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    openApiTallyDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-tally-'));
  project.provide('openApiTallyDir', dir);
  return () => {
    let checked = 0;
    let violated = 0;
    for (const file of readdirSync(dir)) {
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean)) {
        const [fileChecked, fileViolated] = line.split('\t').map(Number) as [number, number];
        checked += fileChecked;
        violated += fileViolated;
      }
    }
    rmSync(dir, { recursive: true, force: true });
    console.log(`[openapi] ${checked} answers checked against docs/openapi.json, ${violated} violated it`);
  };
}
