import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../web/build.ts';
import type { SiteConfig } from '../../web/src/site-config.ts';
import { chromiumInstalled, launchChromium } from '../support/chromium.ts';
import { createOpenIdProvider } from '../support/openid-provider.ts';
import { type QuizLogApi, startQuizLogApi } from '../support/quiz-log-api.ts';
import { QUIZ_LOG_SEED } from '../support/quiz-log-seed.ts';

/** The deployed page's sign-in: authorization code + PKCE against the configured provider. */
describe.skipIf(!chromiumInstalled && process.env.REQUIRE_BROWSER_TESTS !== '1')('the quiz log page signing in through OpenID Connect', () => {
  const siteDir = mkdtempSync(join(tmpdir(), 'quiz-log-oidc-site-'));
  const provider = createOpenIdProvider({ clientId: 'quiz-log', accessToken: 'reader-of-every-course' });
  let api: QuizLogApi;
  let browser: Browser;
  const classQuery = `?course=${QUIZ_LOG_SEED.course}&quiz=${QUIZ_LOG_SEED.quiz}`;

  beforeAll(async () => {
    buildSite(siteDir);
    [api, browser] = await Promise.all([startQuizLogApi({ siteDir, seed: QUIZ_LOG_SEED, alsoServe: provider.handle }), launchChromium()]);
    // As the stack writes it; the provider shares the page's origin here, so the local CSP allows it.
    const config: SiteConfig = { apiBaseUrl: api.url, auth: { type: 'oidc', authority: `${api.url}/idp`, clientId: 'quiz-log', scopes: 'openid read' } };
    writeFileSync(join(siteDir, 'config.json'), JSON.stringify(config));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    rmSync(siteDir, { recursive: true, force: true });
  });

  async function open() {
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    const authorizations: (string | undefined)[] = [];
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    page.on('pageerror', (error) => void errors.push(error.message));
    page.on('request', (request) => void (request.url().includes('/api/') && authorizations.push(request.headers().authorization)));
    await page.goto(`${api.url}/${classQuery}`);
    return { page, errors, authorizations };
  }

  it('signs in with the code flow and PKCE, comes back to the view it was opened on, and calls the API with the access token', async () => {
    // Act
    const { page, errors, authorizations } = await open();
    await page.locator('table.class-table tbody tr').first().waitFor();

    // Assert
    const authorization = provider.authorizations.at(-1)!;
    expect(Object.fromEntries(['client_id', 'response_type', 'code_challenge_method', 'scope', 'redirect_uri'].map((name) => [name, authorization.get(name)]))).toEqual({
      client_id: 'quiz-log',
      response_type: 'code',
      code_challenge_method: 'S256',
      scope: 'openid read',
      redirect_uri: `${api.url}/`,
    });
    expect(provider.tokensIssued).toBe(1);
    expect(new URL(page.url()).search).toBe(classQuery);
    expect(authorizations.length).toBeGreaterThan(0);
    expect(new Set(authorizations)).toEqual(new Set(['Bearer reader-of-every-course']));
    expect(errors).toEqual([]);
  });

  it('offers to sign in again when the API refuses the token, and comes back signed in', async () => {
    // Arrange
    api.failNextApiRequest(401);
    const { page } = await open();
    const signInAgain = page.getByRole('button', { name: 'Sign in again' });
    await signInAgain.waitFor();
    const issuedBefore = provider.tokensIssued;

    // Act
    await signInAgain.click();
    await page.locator('table.class-table tbody tr').first().waitFor();

    // Assert
    expect(provider.tokensIssued).toBe(issuedBefore + 1);
    expect(new URL(page.url()).search).toBe(classQuery);
  });
});
