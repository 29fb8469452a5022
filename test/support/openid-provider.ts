import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A minimal OpenID provider for the quiz log page's sign-in test, mounted at /idp of a test server:
 * discovery, an authorization endpoint that signs the user in at once, and a token endpoint that
 * checks the authorization code flow's PKCE proof (S256) before it hands out the tokens.
 */
export interface OpenIdProvider {
  handle(request: IncomingMessage, response: ServerResponse): boolean;
  /** Each authorization request's query, in order. */
  authorizations: URLSearchParams[];
  /** Token requests answered with tokens. */
  tokensIssued: number;
}

export function createOpenIdProvider({ clientId, accessToken }: { clientId: string; accessToken: string }): OpenIdProvider {
  const codes = new Map<string, { challenge: string; redirectUri: string; nonce: string | null }>();
  const provider: OpenIdProvider = { handle, authorizations: [], tokensIssued: 0 };

  function handle(request: IncomingMessage, response: ServerResponse): boolean {
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    if (!url.pathname.startsWith('/idp/')) return false;
    const issuer = `${url.origin}/idp`;
    const json = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));

    if (url.pathname === '/idp/.well-known/openid-configuration') {
      json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    } else if (url.pathname === '/idp/authorize') {
      const query = url.searchParams;
      provider.authorizations.push(query);
      const redirectUri = query.get('redirect_uri') ?? '';
      if (query.get('client_id') !== clientId || query.get('response_type') !== 'code' || query.get('code_challenge_method') !== 'S256' || !query.get('code_challenge')) {
        json(400, { error: 'invalid_request' });
        return true;
      }
      const code = randomUUID();
      codes.set(code, { challenge: query.get('code_challenge')!, redirectUri, nonce: query.get('nonce') });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', query.get('state') ?? '');
      response.writeHead(302, { location: back.href }).end();
    } else if (url.pathname === '/idp/token' && request.method === 'POST') {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const form = new URLSearchParams(body);
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const proof = createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url');
        if (!grant || form.get('grant_type') !== 'authorization_code' || form.get('redirect_uri') !== grant.redirectUri || form.get('client_id') !== clientId || proof !== grant.challenge) {
          return json(400, { error: 'invalid_grant' });
        }
        provider.tokensIssued++;
        const now = Math.floor(Date.now() / 1000);
        const claims = { iss: issuer, aud: clientId, sub: 'teacher-1', iat: now, exp: now + 3600, ...(grant.nonce && { nonce: grant.nonce }) };
        const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
        json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600, id_token: unsigned, scope: form.get('scope') ?? 'openid' });
      });
    } else {
      json(404, { error: 'not_found' });
    }
    return true;
  }
  return provider;
}
