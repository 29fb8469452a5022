import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DenialReason } from '#lib/auth/gateway-denials.ts';
import { scopesOfAccess } from '#lib/auth/scopes.ts';
import { contentSecurityPolicy } from '../../web/security-headers.ts';
import { chromiumInstalled, launchChromium } from '../support/chromium.ts';
import { authorizeTokensOf } from '../support/issuer-authorize.ts';
import { type OpenIdProvider, startOpenIdProvider } from '../support/openid-provider.ts';
import { QUIZ_LOG_SEED } from '../support/quiz-log-seed.ts';
import { type QuizLogServer, startQuizLogServer } from '../support/quiz-log-server.ts';

/**
 * The deployed page's sign-in: authorization code + PKCE against the configured provider, whose
 * signed access token the local server's JWT authorizer (the gateway's rules) then accepts.
 */
describe.skipIf(!chromiumInstalled && process.env.REQUIRE_BROWSER_TESTS !== '1')('the quiz log page signing in through OpenID Connect', () => {
  const seed = QUIZ_LOG_SEED;
  const clientId = 'quiz-log';
  const apiAudience = 'quiz-submission-events';
  const classQuery = `?course=${seed.course}&quiz=${seed.quiz}`;
  const denials: DenialReason[] = [];
  let provider: OpenIdProvider;
  let server: QuizLogServer;
  let browser: Browser;

  beforeAll(async () => {
    [provider, browser] = await Promise.all([
      startOpenIdProvider({ clientId, audience: apiAudience, accessClaims: { scope: scopesOfAccess('read').join(' '), course_ids: [seed.course] } }),
      launchChromium(),
    ]);
    server = await startQuizLogServer({
      // As the stack writes it, with the API on the page's own origin here.
      siteConfig: { apiBaseUrl: '', auth: { type: 'oidc', authority: provider.url, clientId, scopes: 'openid read' } },
      authorize: authorizeTokensOf({ issuer: provider.url, audience: apiAudience, keys: provider.jwks, onDenial: (reason) => denials.push(reason) }),
      writeToken: (student, course) => provider.sign({ sub: student, scope: scopesOfAccess('write').join(' '), course_ids: [course] }),
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await provider?.close();
  });

  async function open() {
    // The local server's policy lets the page talk to its own origin only; deployed, CloudFront's also
    // names the identity provider (infra/constructs/quiz-log-site.ts). The page runs under that one here.
    // A page answered at the network layer has no address, so Chromium takes it for a public one and asks
    // before it calls a loopback address (the provider's); the permission answers yes.
    const context = await browser.newContext({ permissions: ['local-network-access'] });
    const deployedPolicy = contentSecurityPolicy([provider.url]);
    await context.route(`${server.url}/**`, async (route) => {
      if (route.request().resourceType() !== 'document') return route.continue();
      const response = await route.fetch();
      return route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': deployedPolicy } });
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    const authorizations: (string | undefined)[] = [];
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    page.on('pageerror', (error) => void errors.push(error.message));
    page.on('request', (request) => void (new URL(request.url()).pathname.startsWith('/api/') && authorizations.push(request.headers().authorization)));
    await page.goto(`${server.url}/${classQuery}`);
    return { page, errors, authorizations };
  }
  const rows = (page: Awaited<ReturnType<typeof open>>['page']) => page.locator('table.class-table tbody tr');

  it('signs in with the code flow and PKCE, comes back to the view it was opened on, and reads the class with the access token', async () => {
    // Act
    const { page, errors, authorizations } = await open();
    await rows(page).first().waitFor();

    // Assert
    const authorization = provider.authorizations.at(-1)!;
    expect(Object.fromEntries(['client_id', 'response_type', 'code_challenge_method', 'scope', 'redirect_uri'].map((name) => [name, authorization.get(name)]))).toEqual({
      client_id: clientId,
      response_type: 'code',
      code_challenge_method: 'S256',
      scope: 'openid read',
      redirect_uri: `${server.url}/`,
    });
    expect(provider.accessTokens).toHaveLength(1);
    expect(new URL(page.url()).search).toBe(classQuery);
    expect(authorizations.length).toBeGreaterThan(0);
    expect(new Set(authorizations)).toEqual(new Set([`Bearer ${provider.accessTokens[0]}`]));
    expect(await rows(page).count()).toBe(new Set(seed.attempts.map((attempt) => attempt.submission)).size);
    expect(denials).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('offers to sign in again when the API refuses the token, and comes back signed in', async () => {
    // Arrange: the provider's next token is for another API, so the authorizer refuses it
    provider.issueNextTokenForAnotherAudience();
    const { page } = await open();
    const signInAgain = page.getByRole('button', { name: 'Sign in again' });
    await signInAgain.waitFor();
    const issuedBefore = provider.accessTokens.length;

    // Act
    await signInAgain.click();
    await rows(page).first().waitFor();

    // Assert
    expect(denials).toEqual(['wrong-audience']);
    expect(provider.accessTokens).toHaveLength(issuedBefore + 1);
    expect(new URL(page.url()).search).toBe(classQuery);
  });
});
