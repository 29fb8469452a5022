import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JSONWebKeySet } from 'jose';
import * as z from 'zod';
import { errorCode } from '#lib/error-code.ts';

/** The local issuer's key pair, kept in the data directory as one private JWK. */
export const LOCAL_KEY_FILE_NAME = 'local-jwt-key.json';
export const LOCAL_SIGNING_ALGORITHM = 'RS256';

export interface LocalSigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public half, as the issuer's JWKS would publish it. */
  jwks: JSONWebKeySet;
}

const privateRsaJwkSchema = z.object({
  kty: z.literal('RSA'),
  kid: z.string().min(1),
  alg: z.literal(LOCAL_SIGNING_ALGORITHM),
  use: z.literal('sig'),
  n: z.string().min(1),
  e: z.string().min(1),
  d: z.string().min(1),
  p: z.string().min(1),
  q: z.string().min(1),
  dp: z.string().min(1),
  dq: z.string().min(1),
  qi: z.string().min(1),
});
type PrivateRsaJwk = z.output<typeof privateRsaJwkSchema>;

/** The key file holds something other than the key pair; the message says to delete it. */
export class LocalKeyFileError extends Error {
  override name = 'LocalKeyFileError';
}

/** Reads the key pair from `<dataDir>/local-jwt-key.json`, creating it on first use. */
export async function loadLocalSigningKey(dataDir: string): Promise<LocalSigningKey> {
  const jwk = (await readKeyFile(dataDir)) ?? (await createKeyFile(dataDir));
  const privateKey = await importJWK(jwk, LOCAL_SIGNING_ALGORITHM);
  if (!isCryptoKey(privateKey)) throw new Error('Expected the local JWK to import as a CryptoKey');
  const { kty, kid, alg, use, n, e } = jwk;
  return { kid, privateKey, jwks: { keys: [{ kty, kid, alg, use, n, e }] } };
}

async function readKeyFile(dataDir: string): Promise<PrivateRsaJwk | undefined> {
  const path = join(dataDir, LOCAL_KEY_FILE_NAME);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = privateRsaJwkSchema.safeParse(parseJson(text));
  if (!parsed.success) throw new LocalKeyFileError(`${path} is not an RSA private JWK with kid, alg RS256 and use sig; delete it to have a new one made`);
  return parsed.data;
}

async function createKeyFile(dataDir: string): Promise<PrivateRsaJwk> {
  const { privateKey, publicKey } = await generateKeyPair(LOCAL_SIGNING_ALGORITHM, { modulusLength: 2048, extractable: true });
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  const jwk = privateRsaJwkSchema.parse({ ...(await exportJWK(privateKey)), kid, alg: LOCAL_SIGNING_ALGORITHM, use: 'sig' });

  await mkdir(dataDir, { recursive: true });
  // Written aside and linked into place: link fails if the file exists, so two processes starting
  // together both end up with the one key that won, never a half-written file.
  const finalPath = join(dataDir, LOCAL_KEY_FILE_NAME);
  const pendingPath = `${finalPath}.${randomUUID()}.pending`;
  await writeFile(pendingPath, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600 });
  try {
    await link(pendingPath, finalPath);
    return jwk;
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    const winner = await readKeyFile(dataDir);
    if (winner === undefined) throw error;
    return winner;
  } finally {
    await unlink(pendingPath);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isCryptoKey(key: CryptoKey | Uint8Array): key is CryptoKey {
  return !(key instanceof Uint8Array);
}
