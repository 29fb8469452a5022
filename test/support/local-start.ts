import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** `npm start` as a child process: the command package.json's start script runs, without npm in between. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

const startScript: string = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts.start;
const [command, ...startArguments] = startScript.split(' ');
if (command !== 'node') throw new Error(`expected the start script to run node, found ${JSON.stringify(startScript)}`);

/** Only what the server needs, so that a developer's own settings (PORT, READ_SCOPE…) cannot leak in. */
export function startEnvironment(settings: Record<string, string>): NodeJS.ProcessEnv {
  const { PATH, HOME, POWERTOOLS_LOG_LEVEL } = process.env;
  return { PATH, HOME, POWERTOOLS_LOG_LEVEL, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...settings };
}

export function spawnStart(settings: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, startArguments, { cwd: REPO_ROOT, env: startEnvironment(settings) });
}

export interface RunningStart {
  child: ChildProcessWithoutNullStreams;
  stdout: string[];
  stderr: string[];
  /** The first stdout line matching `pattern`, once printed; rejects if the process exits before. */
  line(pattern: RegExp): Promise<string>;
}

/** Starts `npm start` with these settings, reading its output line by line. */
export function runStart(settings: Record<string, string>): RunningStart {
  const child = spawnStart(settings);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<{ pattern: RegExp; found: (line: string) => void }>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdout.push(line);
    for (const waiter of waiters) if (waiter.pattern.test(line)) waiter.found(line);
  });
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const exited = new Promise<never>((_, failed) =>
    child.once('exit', (code) => failed(new Error(`npm start exited with ${code}:\n${[...stdout, ...stderr].join('\n')}`))),
  );
  exited.catch(() => {});
  return {
    child,
    stdout,
    stderr,
    line: (pattern) => {
      const seen = stdout.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return Promise.race([new Promise<string>((found) => waiters.add({ pattern, found })), exited]);
    },
  };
}

export interface FailedStart {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm start` with these settings to its end, which a failing start reaches on its own. */
export function runFailingStart(settings: Record<string, string>): Promise<FailedStart> {
  const child = spawnStart(settings);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((done) => child.once('close', (exitCode) => done({ exitCode, stdout, stderr })));
}

/** SIGTERM, and the exit it leads to. */
export async function stopStart(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}
