/**
 * The site's security headers, in one place: the local server sends them with every file it serves and
 * the stack's CloudFront response headers policy sends the same (plus HSTS, which only means something
 * over HTTPS).
 */

/**
 * Only the page's own files run and style it; it may call the API and the identity provider and
 * nothing else; nobody may frame it. No inline script or style anywhere, so no 'unsafe-inline'.
 */
export function contentSecurityPolicy(connectSources: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The page never needs to tell another site where the reader came from (the address may hold ids). */
export const REFERRER_POLICY = 'no-referrer';
export const FRAME_OPTIONS = 'DENY';
/** Two years, the HSTS preload list's minimum. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

/** What the local server sends with each file of the site. */
export const localSiteHeaders = (): Record<string, string> => ({
  'content-security-policy': contentSecurityPolicy(),
  'x-content-type-options': 'nosniff',
  'x-frame-options': FRAME_OPTIONS,
  'referrer-policy': REFERRER_POLICY,
  // Every file is checked again on each load (an ETag-free 200 is cheap locally); deployed, CloudFront does the same.
  'cache-control': 'no-cache',
});
