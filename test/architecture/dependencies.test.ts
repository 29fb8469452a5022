import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The direction of dependencies, checked on the sources' import statements: the domain owns its store
 * port and knows nothing of DynamoDB or HTTP; the store implements the port; the functions are thin entry
 * points; nothing in lib/ reaches into the local tooling, the functions or the stack.
 */
const ROOT = resolve(import.meta.dirname, '../..');

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(folder, file));
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

/** Every project file a source file imports, as a path from the repository root (packages left out). */
function projectImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const targets: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2]!;
    if (specifier.startsWith('#lib/')) targets.push(`lib/${specifier.slice('#lib/'.length)}`);
    else if (specifier.startsWith('#local/')) targets.push(`local/${specifier.slice('#local/'.length)}`);
    else if (specifier.startsWith('.')) targets.push(relative(ROOT, resolve(ROOT, dirname(file), specifier)));
  }
  return targets;
}

const violations = (folder: string, allowed: (target: string) => boolean): string[] =>
  sourceFiles(folder).flatMap((file) => projectImports(file).filter((target) => !allowed(target)).map((target) => `${file} → ${target}`));

const under = (...folders: string[]) => (target: string) => folders.some((folder) => target.startsWith(`${folder}/`) || target === folder);
const not = (predicate: (target: string) => boolean) => (target: string) => !predicate(target);

describe('the direction of dependencies', () => {
  it('the domain imports only the domain', () => {
    expect(violations('lib/domain', under('lib/domain'))).toEqual([]);
  });

  it('the store implements the domain port and knows nothing of HTTP, handlers or auth', () => {
    expect(violations('lib/store', under('lib/store', 'lib/domain'))).toEqual([]);
  });

  it('the HTTP layer does not touch storage', () => {
    expect(violations('lib/http', not(under('lib/store', 'lib/handlers', 'lib/runtime.ts')))).toEqual([]);
  });

  it('route handlers get their store injected, never import one', () => {
    expect(violations('lib/handlers', not(under('lib/store', 'lib/runtime.ts')))).toEqual([]);
  });

  it('nothing in lib/ imports the functions, the local tooling, the stack or the tests', () => {
    expect(violations('lib', not(under('functions', 'local', 'infra', 'scripts', 'bench', 'test', 'web')))).toEqual([]);
  });

  it('the functions are entry points: a handler factory and the runtime wiring, nothing else', () => {
    expect(violations('functions', under('lib/handlers', 'lib/runtime.ts'))).toEqual([]);
  });

  it('the stack does not import the functions or the local tooling (it bundles the functions by path)', () => {
    expect(violations('infra', not(under('functions', 'local', 'scripts', 'bench', 'test')))).toEqual([]);
  });

  it('the local tooling builds handlers by factory instead of importing the function modules', () => {
    expect(violations('local', not(under('functions', 'infra', 'scripts', 'bench', 'test')))).toEqual([]);
  });

  it('finds the imports it checks (a check that saw nothing would pass anything)', () => {
    expect(projectImports('functions/writer.ts')).toEqual(['lib/handlers/writer.ts', 'lib/runtime.ts']);
    expect(projectImports('lib/domain/read-events.ts')).toContain('lib/domain/event-store.ts');
  });
});
