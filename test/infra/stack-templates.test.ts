import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackTemplates } from '../../scripts/stack-templates.ts';
import { DEPLOYMENT_CONTEXT, synth } from './synth.ts';

/** `npm run cfn-lint` lints the templates its own synthesis wrote, not every file cdk.out has gathered. */
let outdir: string;

beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), 'cdk-out-'));
});

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe('the templates npm run cfn-lint lints', () => {
  it("are the synthesized stage's only, not a stale template of another stage beside them", async () => {
    // Arrange: an earlier `cdk synth` of the prod stage left its template in the folder
    await writeFile(join(outdir, 'QuizSubmissionEvents-prod.template.json'), '{}');

    // Act
    const { app } = synth({ ...DEPLOYMENT_CONTEXT, stage: 'staging' }, { outdir });
    app.synth();

    // Assert
    expect(stackTemplates(outdir)).toEqual([join(outdir, 'QuizSubmissionEvents-staging.template.json')]);
  });
});
