import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';

const manifestSchema = z.object({
  artifacts: z.record(z.string(), z.object({ type: z.string(), properties: z.object({ templateFile: z.string() }).partial().optional() })),
});

/**
 * The template files of the stacks the last synthesis into `assemblyDir` wrote, as its manifest names
 * them: the folder may also hold templates of earlier syntheses (another stage's), which are not these.
 */
export function stackTemplates(assemblyDir: string): string[] {
  const { artifacts } = manifestSchema.parse(JSON.parse(readFileSync(join(assemblyDir, 'manifest.json'), 'utf8')));
  return Object.values(artifacts).flatMap(({ type, properties }) =>
    type === 'aws:cloudformation:stack' && properties?.templateFile ? [join(assemblyDir, properties.templateFile)] : [],
  );
}
