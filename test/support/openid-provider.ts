import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWTPayload, SignJWT } from 'jose';

/**
 * A minimal OpenID provider for the quiz log page's sign-in test, on its own origin as a real one is:
 * discovery, its key set, an authorization endpoint that signs the user in at once and sends them back, and a token
 * endpoint that checks the authorization code flow's PKCE proof (S256) before it hands out an
 * RS256-signed access token for the API (and an ID token for the page). Like the hosted providers,
 * it lets any origin read discovery, keys and tokens (CORS).
 */
export interface OpenIdProvider {
  /** The issuer: the provider's address, `iss` of every token it signs. */
  url: string;
  /** The public half of its signing key, as its jwks_uri publishes it. */
  jwks: JSONWebKeySet;
  /** Each authorization request's query, in order. */
  authorizations: URLSearchParams[];
  /** The access tokens the token endpoint issued, in order. */
  accessTokens: string[];
  /** A token signed as the token endpoint signs access tokens, with these claims (and the API audience unless they name another). */
  sign(claims: JWTPayload): Promise<string>;
  /** The next access token the token endpoint issues names another audience, so the API refuses it. */
  issueNextTokenForAnotherAudience(): void;
  close(): Promise<void>;
}

export interface OpenIdProviderOptions {
  /** The page's client id; also the ID token's audience. */
  clientId: string;
  /** The API the access tokens are for (their `aud`). */
  audience: string;
  /** What the signed-in user's access tokens say beyond iss, aud, sub and the times: scope, course ids. */
  accessClaims: JWTPayload;
}

const SIGNING_ALGORITHM = 'RS256';
const TOKEN_TTL_SECONDS = 3600;
const CORS = { 'access-control-allow-origin': '*' };

export async function startOpenIdProvider({ clientId, audience, accessClaims }: OpenIdProviderOptions): Promise<OpenIdProvider> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM);
  const kid = randomUUID();
  const jwks: JSONWebKeySet = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALGORITHM, use: 'sig' }] };
  const codes = new Map<string, { challenge: string; redirectUri: string; nonce: string | null }>();
  let nextAudience: string | undefined;

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const sign = (claims: JWTPayload, type = 'at+jwt') => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ aud: audience, iat: now, exp: now + TOKEN_TTL_SECONDS, ...claims, iss: url })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: type })
      .sign(privateKey);
  };

  const provider: OpenIdProvider = {
    url,
    jwks,
    authorizations: [],
    accessTokens: [],
    sign: (claims) => sign(claims),
    issueNextTokenForAnotherAudience: () => void (nextAudience = 'another-api'),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { pathname, searchParams: query } = new URL(request.url ?? '/', url);
    const json = (status: number, body: unknown) => void response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...CORS }).end(JSON.stringify(body));

    if (request.method === 'OPTIONS') {
      response.writeHead(204, { ...CORS, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': request.headers['access-control-request-headers'] ?? '' }).end();
    } else if (pathname === '/.well-known/openid-configuration') {
      json(200, {
        issuer: url,
        authorization_endpoint: `${url}/authorize`,
        token_endpoint: `${url}/token`,
        jwks_uri: `${url}/jwks`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
      });
    } else if (pathname === '/jwks') {
      json(200, jwks);
    } else if (pathname === '/authorize') {
      provider.authorizations.push(query);
      if (query.get('client_id') !== clientId || query.get('response_type') !== 'code' || query.get('code_challenge_method') !== 'S256' || !query.get('code_challenge')) {
        return json(400, { error: 'invalid_request' });
      }
      const code = randomUUID();
      const redirectUri = query.get('redirect_uri') ?? '';
      codes.set(code, { challenge: query.get('code_challenge')!, redirectUri, nonce: query.get('nonce') });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', query.get('state') ?? '');
      // Back to the page as a provider's sign-in page sends the browser once the user is through: a new
      // navigation (a 302 would do too, but the test's network layer sees only a redirect chain's first request).
      const href = back.href.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(`<!doctype html><meta http-equiv="refresh" content="0; url=${href}"><title>Signed in</title>`);
    } else if (pathname === '/token' && request.method === 'POST') {
      let body = '';
      for await (const chunk of request) body += chunk;
      const form = new URLSearchParams(body);
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const proof = createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url');
      if (!grant || form.get('grant_type') !== 'authorization_code' || form.get('redirect_uri') !== grant.redirectUri || form.get('client_id') !== clientId || proof !== grant.challenge) {
        return json(400, { error: 'invalid_grant' });
      }
      const sub = 'teacher-1';
      const accessToken = await sign({ ...accessClaims, sub, client_id: clientId, ...(nextAudience && { aud: nextAudience }) });
      nextAudience = undefined;
      const idToken = await sign({ sub, aud: clientId, ...(grant.nonce && { nonce: grant.nonce }) }, 'JWT');
      provider.accessTokens.push(accessToken);
      json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS, id_token: idToken, scope: form.get('scope') ?? 'openid' });
    } else {
      json(404, { error: 'not_found' });
    }
  }
  return provider;
}
