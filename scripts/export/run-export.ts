import type { Writable } from 'node:stream';
import { ExitCode, ExportError } from './exit-codes.ts';
import { firstPageUrl, parseExportOptions, USAGE } from './options.ts';
import { type ExportSink, openFileSink, streamSink } from './output.ts';
import { walkPages } from './page-walker.ts';
import { progressReporter } from './progress.ts';
import { eventsCsv, jsonLines, pageItems, summariesCsv } from './rows.ts';

export interface ExportIo {
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
  environment?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  /** Injectable so tests do not wait out Retry-After. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * `npm run export`: walks the quiz-wide feed (or its summaries) page by page through the Link
 * headers and writes CSV or JSON Lines. Returns the exit code (README, Export).
 */
export async function runExport(argv: readonly string[], io: ExportIo): Promise<ExitCode> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`${USAGE}\n`);
    return ExitCode.done;
  }
  let sink: ExportSink | undefined;
  try {
    const options = parseExportOptions(argv, io.environment);
    const firstUrl = firstPageUrl(options);
    const format =
      options.format === 'jsonl'
        ? jsonLines
        : options.summaries
          ? summariesCsv({ spreadsheetSafe: options.spreadsheetSafe })
          : eventsCsv({ spreadsheetSafe: options.spreadsheetSafe });
    const request = JSON.stringify({ url: firstUrl, format: options.format, spreadsheetSafe: options.spreadsheetSafe });
    sink = options.out === undefined ? streamSink(io.stdout) : await openFileSink(options.out, request);

    const what = options.summaries ? 'summaries' : 'events';
    const progress = progressReporter(io.stderr, what, io.now);
    const started = (io.now ?? Date.now)();
    let { rows, pages } = sink.resumed ?? { rows: 0, pages: 0 };
    // The header goes out with the first page, so that every write the checkpoint counts is whole.
    let header = sink.resumed ? '' : format.header;
    const walk = walkPages(sink.resumed?.next ?? firstUrl, {
      token: options.token,
      ...(io.fetch && { fetch: io.fetch }),
      ...(io.sleep && { sleep: io.sleep }),
      onWait: (wait) => progress.wait(wait),
    });
    for await (const page of walk) {
      const items = pageItems(page.body, options.summaries);
      rows += items.length;
      pages += 1;
      await sink.write(header + format.lines(items), { rows, pages, next: page.next });
      header = '';
      progress.page({ rows, pages });
    }
    await sink.finish();
    const seconds = (((io.now ?? Date.now)() - started) / 1000).toFixed(1);
    progress.done(`${rows.toLocaleString('en')} ${what} in ${seconds} s${options.out === undefined ? '' : ` to ${options.out}`}`);
    return ExitCode.done;
  } catch (error) {
    const left = await sink?.abandon().catch(() => undefined);
    const known = error instanceof ExportError;
    const lines = [known ? error.message : `export failed: ${error instanceof Error ? error.message : String(error)}`];
    if (left !== undefined) lines.push(left);
    if (known && error.exitCode === ExitCode.usage && !error.message.startsWith('400')) lines.push(USAGE);
    io.stderr.write(`${lines.join('\n')}\n`);
    return known ? error.exitCode : ExitCode.failed;
  }
}
