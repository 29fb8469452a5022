import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_KEY_FILE_NAME } from '#lib/auth/local-keys.ts';
import { LOCK_FILE_NAME } from '#local/data-dir-lock.ts';
import { StartExitCode } from '#local/start-failure.ts';
import { type FailedStart, runFailingStart, runStart, stopStart } from '../support/local-start.ts';

/**
 * What a newcomer sees when `npm start` cannot start: one line on stderr naming the variable, the path
 * or the other process and what to do, an exit code by kind, nothing on stdout, no stack trace.
 */
let folder: string;
/** One data folder for the tests that fail after the key is made: it is made once. */
let dataDir: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'start-failures-'));
  dataDir = join(folder, 'data');
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function expectOneLine(run: FailedStart, exitCode: number, line: string | RegExp): void {
  expect(run.stdout).toBe('');
  expect(run.stderr.endsWith('\n') && !run.stderr.slice(0, -1).includes('\n'), run.stderr).toBe(true);
  expect(run.stderr.trimEnd()).toMatch(typeof line === 'string' ? new RegExp(`^${escaped(line)}$`) : line);
  expect(run.exitCode).toBe(exitCode);
}

describe('npm start refuses a bad setting, naming the variable', () => {
  it('a PORT that is not a port number', async () => {
    const run = await runFailingStart({ PORT: 'abc', DATA_DIR: dataDir });
    expectOneLine(run, StartExitCode.setting, 'Cannot start: PORT: must be a whole number from 0 to 65535 (0 picks a free port), got "abc"');
  });

  it('every bad variable at once, on the same line', async () => {
    const run = await runFailingStart({ PORT: '70000', ALLOWED_ORIGINS: '*', DATA_DIR: dataDir });
    expectOneLine(
      run,
      StartExitCode.setting,
      'Cannot start: PORT: must be a whole number from 0 to 65535 (0 picks a free port), got "70000"; ALLOWED_ORIGINS: "*" is not an origin like https://canvas.example.edu (no path, no wildcard)',
    );
  });

  it('a HOST that no name server knows', async () => {
    const run = await runFailingStart({ PORT: '0', HOST: 'no-such-host.invalid', DATA_DIR: dataDir });
    expectOneLine(
      run,
      StartExitCode.setting,
      /^Cannot start: HOST no-such-host\.invalid is not an address of this machine \((ENOTFOUND|EAI_AGAIN)\): set HOST to 127\.0\.0\.1 \(the default\), 0\.0\.0\.0 \(every interface\) or one of this machine's addresses$/,
    );
    // The folder is free again for the next start.
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);
  });

  it('a HOST that is an address of another machine', async () => {
    const run = await runFailingStart({ PORT: '0', HOST: '192.0.2.1', DATA_DIR: dataDir });
    expectOneLine(
      run,
      StartExitCode.setting,
      "Cannot start: HOST 192.0.2.1 is not an address of this machine (EADDRNOTAVAIL): set HOST to 127.0.0.1 (the default), 0.0.0.0 (every interface) or one of this machine's addresses",
    );
  });
});

describe('npm start refuses a DATA_DIR it cannot use, naming the path', () => {
  it('a file where the folder belongs', async () => {
    const file = join(folder, 'a-file');
    await writeFile(file, '');
    const run = await runFailingStart({ PORT: '0', DATA_DIR: file });
    expectOneLine(run, StartExitCode.dataDir, `Cannot start: DATA_DIR ${file} is a file, or inside one, not a folder: set DATA_DIR to a folder (it is made if missing)`);
  });

  it('a signing key file that holds something else', async () => {
    const keyed = join(folder, 'bad-key');
    await mkdir(keyed);
    const keyFile = join(keyed, LOCAL_KEY_FILE_NAME);
    await writeFile(keyFile, '{}');
    const run = await runFailingStart({ PORT: '0', DATA_DIR: keyed });
    expectOneLine(
      run,
      StartExitCode.dataDir,
      `Cannot start: ${keyFile} is not an RSA private JWK with kid, alg RS256 and use sig; delete it to have a new one made (tokens it signed are then refused)`,
    );
  });

  it('a store that LevelDB cannot open', async () => {
    const damaged = join(folder, 'damaged');
    await mkdir(damaged);
    await writeFile(join(damaged, 'CURRENT'), 'MANIFEST-000404\n');
    const run = await runFailingStart({ PORT: '0', DATA_DIR: damaged });
    expectOneLine(
      run,
      StartExitCode.dataDir,
      new RegExp(`^Cannot start: the store in DATA_DIR ${escaped(damaged)} cannot be opened \\(.+\\): move the folder aside, or delete it to start with an empty store$`),
    );
  });
});

describe("npm start takes over a DATA_DIR whose lock file's process no longer has it", () => {
  const goneProcessId = () => spawnSync(process.execPath, ['-e', '']).pid!;

  it.each([
    ['has exited', goneProcessId],
    ['is now another program (its id reused)', () => process.pid],
  ])('the process named %s', async (_case, holderPid) => {
    // Arrange
    const taken = await mkdtemp(join(folder, 'taken-'));
    await writeFile(join(taken, LOCK_FILE_NAME), JSON.stringify({ pid: holderPid(), url: 'http://127.0.0.1:1' }));

    // Act
    const server = runStart({ PORT: '0', DATA_DIR: taken });
    const listening = await server.line(/^Listening on /);
    const holder = JSON.parse(await readFile(join(taken, LOCK_FILE_NAME), 'utf8'));
    await stopStart(server.child);

    // Assert
    expect(holder).toEqual({ pid: server.child.pid, url: listening.slice('Listening on '.length) });
    expect(server.child.exitCode).toBe(0);
    expect(existsSync(join(taken, LOCK_FILE_NAME))).toBe(false);
  });
});
