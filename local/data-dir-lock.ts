import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { errorCode } from '#lib/error-code.ts';
import { storeIsLocked } from './embedded-store.ts';
import { fileFailure, StartExitCode, StartFailure } from './start-failure.ts';

/** Names the local server that has DATA_DIR: its process id and, once it listens, its address. */
export const LOCK_FILE_NAME = 'local-server.lock';

const holderSchema = z.object({ pid: z.number().int().positive(), url: z.string().optional() });
type Holder = z.output<typeof holderSchema>;

export interface DataDirLock {
  /** Adds the server's address to the file, for the message a second server shows. */
  recordUrl(url: string): Promise<void>;
  /** Deletes the file if it is still this process's. Synchronous, to run on 'exit'. */
  release(): void;
}

/**
 * Takes DATA_DIR for this process before its store is opened, so that a second server on the same
 * folder stops with a message naming the first, not with LevelDB's lock error. A file left by a
 * process that is gone, or by one that does not hold the store (its id reused after a restart), is
 * taken over. Throws StartFailure.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const file = join(dataDir, LOCK_FILE_NAME);
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (error) {
    throw fileFailure(error, `DATA_DIR ${dataDir}`) ?? error;
  }
  const write = (holder: Holder, flag: 'wx' | 'w') => writeFile(file, `${JSON.stringify(holder)}\n`, { flag, mode: 0o600 });

  // Twice at most: a stale file is deleted once; a file that is back at once was written by a live server.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await write({ pid: process.pid }, 'wx');
      return {
        recordUrl: (url) => write({ pid: process.pid, url }, 'w'),
        release: () => {
          try {
            if (readHolder(readFileSync(file, 'utf8'))?.pid === process.pid) unlinkSync(file);
          } catch {
            // Gone already: nothing to release.
          }
        },
      };
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw fileFailure(error, `DATA_DIR ${dataDir}`) ?? error;
    }
    const holder = readHolder(await readFile(file, 'utf8').catch(() => ''));
    if (holder && isRunning(holder.pid) && (await storeIsLocked(dataDir))) throw inUse(dataDir, holder);
    await rm(file, { force: true });
  }
  throw inUse(dataDir, undefined);
}

function readHolder(text: string): Holder | undefined {
  try {
    return holderSchema.parse(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return errorCode(error) === 'EPERM';
  }
}

function inUse(dataDir: string, holder: Holder | undefined): StartFailure {
  const who = holder ? `another local server (PID ${holder.pid}${holder.url ? `, ${holder.url}` : ''})` : 'another local server';
  const stop = holder ? `stop it (kill ${holder.pid})` : 'stop it';
  return new StartFailure(`Cannot start: DATA_DIR ${dataDir} is in use by ${who}: ${stop}, or set DATA_DIR to another folder`, StartExitCode.inUse);
}
