/**
 * Exports a quiz's events, or their summaries, as CSV or JSON Lines (README, Export).
 *   npm run export -- --api URL --token T --course C --quiz Q [--summaries] [--format csv|jsonl] [--out FILE]
 */
import { runExport } from './export/run-export.ts';

// `npm run export … | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

process.exitCode = await runExport(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
