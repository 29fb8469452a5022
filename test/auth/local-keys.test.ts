import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadLocalSigningKey, LOCAL_KEY_FILE_NAME } from '#lib/auth/local-keys.ts';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-keys-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('the local signing key', () => {
  it('is created on first use as a private RSA JWK readable only by its owner', async () => {
    // Act
    const key = await loadLocalSigningKey(join(dataDir, 'nested'));

    // Assert
    const path = join(dataDir, 'nested', LOCAL_KEY_FILE_NAME);
    const stored = JSON.parse(await readFile(path, 'utf8'));
    expect(stored).toMatchObject({ kty: 'RSA', kid: key.kid, alg: 'RS256', use: 'sig' });
    expect(stored.d).toEqual(expect.any(String));
    expect(Buffer.from(stored.n, 'base64url').length * 8).toBe(2048);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('is reused once it exists', async () => {
    const first = await loadLocalSigningKey(dataDir);

    const second = await loadLocalSigningKey(dataDir);

    expect(second.kid).toBe(first.kid);
    expect(second.jwks).toEqual(first.jwks);
  });

  it('is one key when two processes ask for it at once', async () => {
    const keys = await Promise.all([loadLocalSigningKey(dataDir), loadLocalSigningKey(dataDir), loadLocalSigningKey(dataDir)]);

    expect(new Set(keys.map((key) => key.kid)).size).toBe(1);
  });

  it('publishes only its public half in the JWKS', async () => {
    const { kid, jwks } = await loadLocalSigningKey(dataDir);

    expect(jwks.keys).toHaveLength(1);
    expect(Object.keys(jwks.keys[0] ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(jwks.keys[0]?.kid).toBe(kid);
  });

  it.each([
    ['another kind of key', JSON.stringify({ kty: 'oct', k: 'c2VjcmV0' })],
    ['not JSON', '{"kty":'],
  ])('is refused, not replaced, when the key file holds %s', async (_, content) => {
    await writeFile(join(dataDir, LOCAL_KEY_FILE_NAME), content);

    await expect(loadLocalSigningKey(dataDir)).rejects.toThrow(/local-jwt-key\.json is not an RSA private JWK/);
  });
});
