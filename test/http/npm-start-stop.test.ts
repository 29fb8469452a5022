import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE_NAME } from '#local/data-dir-lock.ts';
import { REPO_ROOT, startEnvironment } from '../support/local-start.ts';

/**
 * The real process tree: npm → sh -c → node. npm passes its SIGTERM to the shell only, which dies
 * without passing it on; the server must end all the same, and give back its port and DATA_DIR.
 */
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'npm-start-stop-'));
});

afterAll(async () => {
  // Had the server outlived npm, it would be named here: ended, so a failure leaves nothing running.
  const holder = await readFile(join(dataDir, LOCK_FILE_NAME), 'utf8').catch(() => undefined);
  if (holder) {
    try {
      process.kill(JSON.parse(holder).pid, 'SIGKILL');
    } catch {
      // Gone after all.
    }
  }
  await rm(dataDir, { recursive: true, force: true });
});

const refusesConnections = (url: string) =>
  new Promise<boolean>((answer) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      answer(false);
    });
    socket.once('error', () => answer(true));
  });

describe('kill <npm start PID>', () => {
  it('ends the server too: its port and DATA_DIR are free once npm has gone', { timeout: 90_000 }, async () => {
    // Arrange: `npm start` without its prestart build, as a developer's terminal runs it
    const npm = spawn('npm', ['start', '--ignore-scripts'], { cwd: REPO_ROOT, env: startEnvironment({ PORT: '0', DATA_DIR: dataDir }) });
    npm.stderr.resume();
    // Every process of the tree writes to this pipe: it closes once the last of them has exited.
    const allGone = new Promise((done) => npm.stdout.once('close', done));
    const url = await new Promise<string>((found, failed) => {
      npm.once('exit', (code) => failed(new Error(`npm start exited with ${code}`)));
      createInterface({ input: npm.stdout }).on('line', (line) => {
        if (line.startsWith('Listening on ')) found(line.slice('Listening on '.length));
      });
    });
    const { pid: serverPid } = JSON.parse(await readFile(join(dataDir, LOCK_FILE_NAME), 'utf8'));
    expect(serverPid).not.toBe(npm.pid);

    // Act
    npm.kill('SIGTERM');
    await allGone;

    // Assert
    expect(await refusesConnections(url)).toBe(true);
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);
  });
});
