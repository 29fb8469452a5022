import type { Writable } from 'node:stream';
import type { Progress } from './output.ts';
import type { Wait } from './page-walker.ts';

export interface ProgressReporter {
  page(progress: Progress): void;
  wait(wait: Wait): void;
  /** The closing line, e.g. "12,345 events in 4.2 s to quiz.csv". */
  done(line: string): void;
}

const quiet: ProgressReporter = { page() {}, wait() {}, done() {} };

/** Redrawn at most this often: a terminal cannot show more, and each redraw costs a write. */
const REDRAW_MS = 100;
const CLEAR_LINE = '\r\u001b[2K';

/** One self-overwriting status line on stderr when it is a terminal; nothing when it is a file or a pipe. */
export function progressReporter(stderr: Writable & { isTTY?: boolean }, what: string, now: () => number = Date.now): ProgressReporter {
  if (!stderr.isTTY) return quiet;
  const started = now();
  let drawnAt = -Infinity;
  const count = (n: number) => n.toLocaleString('en');
  const draw = (line: string, force = false) => {
    if (!force && now() - drawnAt < REDRAW_MS) return;
    drawnAt = now();
    stderr.write(`${CLEAR_LINE}${line}`);
  };
  return {
    page({ rows, pages }) {
      const seconds = (now() - started) / 1000;
      const rate = seconds > 0 ? ` · ${count(Math.round(rows / seconds))}/s` : '';
      draw(`${count(rows)} ${what} · ${count(pages)} page${pages === 1 ? '' : 's'}${rate}`);
    },
    wait({ reason, waitMs, retry }) {
      const why = reason === 'network' ? 'no answer' : `server answered ${reason}`;
      draw(`${why}; trying again in ${Math.ceil(waitMs / 1000)} s (retry ${retry})`, true);
    },
    done(line) {
      stderr.write(`${CLEAR_LINE}${line}\n`);
    },
  };
}
