import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import * as z from 'zod';

/** Where the export stands after a page: what a rerun needs to go on from there. */
export interface Progress {
  rows: number;
  pages: number;
  /** The next page's URL; absent after the last page. */
  next?: string | undefined;
}

export interface ExportSink {
  /** Set when an earlier run's rows are kept and the walk goes on from its next page. */
  readonly resumed: (Progress & { next: string }) | undefined;
  write(text: string, progress: Progress): Promise<void>;
  /** The export is whole: make it visible under its name. */
  finish(): Promise<void>;
  /** The export stopped short; returns what the user should know about what is left behind. */
  abandon(): Promise<string | undefined>;
}

/**
 * Writes FILE.partial and renames it to FILE only when the last page is in, so a half export is never
 * mistaken for a whole one. After each page FILE.partial.resume records the next page's URL and the
 * file's length; a rerun of the same command cuts FILE.partial back to that length (dropping a page
 * that was half written) and goes on from there. Any other command starts over.
 */
export async function openFileSink(out: string, request: string): Promise<ExportSink> {
  const partial = `${out}.partial`;
  const resumeFile = `${partial}.resume`;
  const checkpoint = await readCheckpoint(resumeFile);
  const partialBytes = await stat(partial).then(
    (stats) => stats.size,
    () => undefined,
  );
  const canResume = checkpoint !== undefined && checkpoint.request === request && partialBytes !== undefined && partialBytes >= checkpoint.bytes;

  let handle: FileHandle;
  let bytes: number;
  if (canResume) {
    handle = await open(partial, 'r+');
    await handle.truncate(checkpoint.bytes);
    bytes = checkpoint.bytes;
  } else {
    await rm(resumeFile, { force: true });
    handle = await open(partial, 'w');
    bytes = 0;
  }
  let wroteCheckpoint = canResume;

  return {
    resumed: canResume ? { rows: checkpoint.rows, pages: checkpoint.pages, next: checkpoint.next } : undefined,

    async write(text, progress) {
      const buffer = Buffer.from(text);
      await handle.write(buffer, 0, buffer.length, bytes);
      bytes += buffer.length;
      if (progress.next === undefined) return;
      // Written beside and renamed over, so the checkpoint on disk is always a whole one.
      const state: Checkpoint = { request, next: progress.next, bytes, rows: progress.rows, pages: progress.pages };
      await writeFile(`${resumeFile}.tmp`, JSON.stringify(state));
      await rename(`${resumeFile}.tmp`, resumeFile);
      wroteCheckpoint = true;
    },

    async finish() {
      await handle.close();
      await rename(partial, out);
      await rm(resumeFile, { force: true });
    },

    async abandon() {
      await handle.close();
      if (wroteCheckpoint) return `the rows so far are in ${partial}; run the same command again to go on from where it stopped`;
      // Not one page got in: nothing worth keeping.
      await rm(partial, { force: true });
      return undefined;
    },
  };
}

const checkpointSchema = z.object({
  request: z.string(),
  next: z.string(),
  bytes: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  pages: z.number().int().nonnegative(),
});
type Checkpoint = z.infer<typeof checkpointSchema>;

async function readCheckpoint(path: string): Promise<Checkpoint | undefined> {
  try {
    return checkpointSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch {
    return undefined;
  }
}

/** Standard output: no resuming, and waits whenever the reader downstream is slower. */
export function streamSink(stream: Writable): ExportSink {
  return {
    resumed: undefined,
    async write(text) {
      if (!stream.write(text)) {
        await new Promise<void>((resolve, reject) => {
          const onError = (error: Error) => {
            stream.off('drain', onDrain);
            reject(error);
          };
          const onDrain = () => {
            stream.off('error', onError);
            resolve();
          };
          stream.once('drain', onDrain).once('error', onError);
        });
      }
    },
    async finish() {},
    async abandon() {
      return undefined;
    },
  };
}
