import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtAuthorizer } from '#lib/auth/jwt-authorizer.ts';
import { loadLocalSigningKey } from '#lib/auth/local-keys.ts';
import { canvasScope, LOCAL_AUDIENCE, LOCAL_ISSUER } from '#lib/auth/scopes.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(REPO_ROOT, 'node_modules/.bin/tsx');
const CLI_TIMEOUT_MS = 30_000;

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'token-cli-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function runTokenCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, ['scripts/token.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: dataDir, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('scripts/token.ts', () => {
  it(
    'prints, alone on its last line, a token the local verifier accepts',
    async () => {
      // Act
      const { code, stdout } = await runTokenCli(['--sub', 'teacher-9', '--scopes', 'read,write', '--course-ids', '11,12', '--ttl', '2h']);

      // Assert
      expect(code).toBe(0);
      const token = stdout.trimEnd().split('\n').at(-1) ?? '';
      const claims = decodeJwt(token);
      expect(claims).toMatchObject({ sub: 'teacher-9', course_ids: ['11', '12'] });
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(7200);
      const { jwks } = await loadLocalSigningKey(dataDir);
      const authorizer = createJwtAuthorizer({ issuer: LOCAL_ISSUER, audiences: [LOCAL_AUDIENCE], keys: jwks });
      const [get, post] = await Promise.all([
        authorizer.authorize(`Bearer ${token}`, canvasScope('getEvents')),
        authorizer.authorize(`Bearer ${token}`, canvasScope('postEvents')),
      ]);
      expect([get.ok, post.ok]).toEqual([true, true]);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'mints the scopes and course claim the local server is configured with',
    async () => {
      // Act
      const env = { READ_SCOPE: 'events.read', WRITE_SCOPE: 'events.write', COURSE_CLAIM: 'courses' };
      const { code, stdout } = await runTokenCli(['--sub', 'teacher-9', '--scopes', 'read,write', '--course-ids', '11'], env);

      // Assert
      expect(code).toBe(0);
      const claims = decodeJwt(stdout.trimEnd().split('\n').at(-1) ?? '');
      expect(claims).toMatchObject({ scope: 'events.read events.write', courses: ['11'] });
      expect(claims).not.toHaveProperty('course_ids');
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'refuses a scope override no token could match',
    async () => {
      const { code, stdout, stderr } = await runTokenCli(['--sub', 'x', '--scopes', 'write', '--course-ids', '1'], { WRITE_SCOPE: 'events write' });

      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/WRITE_SCOPE/);
    },
    CLI_TIMEOUT_MS,
  );

  it.each([
    ['without --sub', ['--scopes', 'read', '--course-ids', '1'], /--sub and --scopes are required/],
    ['with an unknown scope', ['--sub', 'x', '--scopes', 'read,admin', '--course-ids', '1'], /--scopes takes read and\/or write/],
    ['with a bad ttl', ['--sub', 'x', '--scopes', 'read', '--course-ids', '1', '--ttl', '1w'], /Invalid ttl/],
    ['with an unknown option', ['--sub', 'x', '--scopes', 'read', '--admin'], /Unknown option '--admin'/],
    ['without --course-ids', ['--sub', 'x', '--scopes', 'read'], /--course-ids is required/],
    ['with a course id split on a space', ['--sub', 'x', '--scopes', 'read', '--course-ids', '1 2'], /--course-ids takes course ids/],
  ])(
    'fails with usage and no token %s',
    async (_, args, message) => {
      const { code, stdout, stderr } = await runTokenCli(args);

      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(message);
      expect(stderr).toContain('usage: npm run token --');
    },
    CLI_TIMEOUT_MS,
  );
});
