/**
 * Mints a token the local server accepts.
 *   npm run token -- --sub ID --scopes read,write --course-ids 11,12 [--submission-ids 3,4] [--ttl 1h]
 * The key pair lives in $DATA_DIR (default .data). `read` becomes the scope of every GET route, `write`
 * the POST route's (or READ_SCOPE and WRITE_SCOPE when set, as the local server reads them); the courses
 * go in the COURSE_CLAIM claim ('*' for every course), the submissions in SUBMISSION_CLAIM when that is
 * set. The token is printed alone on the last line.
 */
import { parseArgs } from 'node:util';
import type { LocalTokenScope } from '#lib/auth/local-token.ts';
import { parseTtlSeconds } from '#lib/auth/token-ttl.ts';
import { commaList } from '#lib/comma-list.ts';
import { EVERY_COURSE } from '#lib/domain/caller.ts';
import { PATH_ID_PATTERN } from '#lib/domain/limits.ts';
import { loadLocalSettings } from '#local/local-settings.ts';
import { mintForLocalServer } from '#local/local-tokens.ts';

const USAGE = "usage: npm run token -- --sub ID --scopes read,write --course-ids 11,12|'*' [--submission-ids 3,4] [--ttl 1h]";
const TOKEN_SCOPES: readonly LocalTokenScope[] = ['read', 'write'];

function isTokenScope(scope: string): scope is LocalTokenScope {
  return (TOKEN_SCOPES as readonly string[]).includes(scope);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      scopes: { type: 'string' },
      'course-ids': { type: 'string' },
      'submission-ids': { type: 'string' },
      ttl: { type: 'string', default: '1h' },
    },
    strict: true,
  });
  if (values.sub === undefined || values.scopes === undefined) throw new Error('--sub and --scopes are required');

  const scopes = commaList(values.scopes);
  const unknown = scopes.filter((scope) => !isTokenScope(scope));
  if (scopes.length === 0 || unknown.length > 0) throw new Error(`--scopes takes read and/or write, got ${JSON.stringify(values.scopes)}`);

  // Without courses a token reaches nothing: every route checks the course claim.
  if (values['course-ids'] === undefined) throw new Error("--course-ids is required: the courses the token reaches, or '*' for every course");
  const courseIds = commaList(values['course-ids']);
  const badCourse = courseIds.find((id) => id !== EVERY_COURSE && !PATH_ID_PATTERN.test(id));
  if (courseIds.length === 0 || badCourse !== undefined) throw new Error(`--course-ids takes course ids (A-Z a-z 0-9 _ . - : ~) or '*', got ${JSON.stringify(values['course-ids'])}`);
  const submissionIds = values['submission-ids'] === undefined ? undefined : commaList(values['submission-ids']);
  if (submissionIds && (submissionIds.length === 0 || !submissionIds.every((id) => PATH_ID_PATTERN.test(id)))) {
    throw new Error(`--submission-ids takes submission ids, got ${JSON.stringify(values['submission-ids'])}`);
  }

  const settings = loadLocalSettings();
  if (submissionIds && settings.submissionClaim === undefined) throw new Error('--submission-ids needs SUBMISSION_CLAIM set, as the local server reads it');
  const token = await mintForLocalServer(settings, {
    sub: values.sub,
    scopes: scopes.filter(isTokenScope),
    courseIds,
    ...(submissionIds && { submissionIds }),
    ttlSeconds: parseTtlSeconds(values.ttl),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exitCode = 1;
});
