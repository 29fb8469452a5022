/**
 * Mints a token the local server accepts.
 *   tsx scripts/token.ts --sub ID --scopes read,write [--course-ids 11,12] [--ttl 1h]
 * The key pair lives in $DATA_DIR (default .data). `read` and `write` become the GET and POST scope
 * strings, or READ_SCOPE and WRITE_SCOPE when set, as the local server reads them; the course list goes
 * in the COURSE_CLAIM claim. The token is printed alone on the last line.
 */
import { parseArgs } from 'node:util';
import { mintLocalToken } from '#lib/auth/local-token.ts';
import type { LocalTokenScope } from '#lib/auth/local-token.ts';
import { parseTtlSeconds } from '#lib/auth/token-ttl.ts';
import { loadLocalSettings } from '#local/local-settings.ts';

const USAGE = 'usage: tsx scripts/token.ts --sub ID --scopes read,write [--course-ids 11,12] [--ttl 1h]';
const TOKEN_SCOPES: readonly LocalTokenScope[] = ['read', 'write'];

function commaList(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function isTokenScope(scope: string): scope is LocalTokenScope {
  return (TOKEN_SCOPES as readonly string[]).includes(scope);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      scopes: { type: 'string' },
      'course-ids': { type: 'string' },
      ttl: { type: 'string', default: '1h' },
    },
    strict: true,
  });
  if (values.sub === undefined || values.scopes === undefined) throw new Error('--sub and --scopes are required');

  const scopes = commaList(values.scopes);
  const unknown = scopes.filter((scope) => !isTokenScope(scope));
  if (scopes.length === 0 || unknown.length > 0) throw new Error(`--scopes takes read and/or write, got ${JSON.stringify(values.scopes)}`);

  const courseIds = values['course-ids'] === undefined ? undefined : commaList(values['course-ids']);
  if (courseIds?.length === 0) throw new Error('--course-ids needs at least one id');

  const { dataDir, scopeOverrides, courseClaim } = loadLocalSettings();
  const token = await mintLocalToken({
    dataDir,
    sub: values.sub,
    scopes: scopes.filter(isTokenScope),
    ...(courseIds !== undefined && { courseIds }),
    ttlSeconds: parseTtlSeconds(values.ttl),
    scopeOverrides,
    courseClaim,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exitCode = 1;
});
