/**
 * Synthesizes the app and runs AWS's CloudFormation linter on the templates of that synthesis only.
 *   npm run cfn-lint [-- -c stage=staging -c issuer=… …]   (the arguments go to `cdk synth`)
 * cdk.out keeps every stack ever synthesized into it; a glob would lint another stage's stale template.
 * Exits non-zero when synthesis fails or the linter finds an error.
 */
import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { stackTemplates } from './stack-templates.ts';

const ASSEMBLY_DIR = 'cdk.out';

const run = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;

const synthesized = run('npx', ['cdk', 'synth', '-q', '--output', ASSEMBLY_DIR, ...process.argv.slice(2)]);
if (synthesized !== 0) process.exit(synthesized);

const templates = stackTemplates(ASSEMBLY_DIR);
console.log(`cfn-lint ${templates.map((template) => relative('.', template)).join(' ')}`);
process.exit(run('cfn-lint', ['--non-zero-exit-code', 'error', ...templates]));
