/**
 * config.json, beside index.html: where the API is and how to sign in. The local build writes the
 * local one (same origin, token in the link `npm start` prints); the stack writes the deployed one.
 */
export type SiteConfig = {
  /** The API's origin, e.g. https://abc.execute-api.eu-west-1.amazonaws.com; '' means the page's own. */
  apiBaseUrl: string;
  auth: LocalSignIn | OidcSignIn;
};

/** A token handed over in the address's fragment (`#access_token=…`): the local server's link. */
export type LocalSignIn = { type: 'local' };

/** Authorization code flow with PKCE against the deployment's identity provider. */
export type OidcSignIn = { type: 'oidc'; authority: string; clientId: string; scopes: string };

export const LOCAL_SITE_CONFIG: SiteConfig = { apiBaseUrl: '', auth: { type: 'local' } };

/** The config, or an Error saying what is wrong with it. */
export function parseSiteConfig(value: unknown): SiteConfig {
  const config = value as Partial<SiteConfig> | null;
  if (!config || typeof config !== 'object') throw new Error('config.json is not a JSON object');
  if (typeof config.apiBaseUrl !== 'string' || (config.apiBaseUrl !== '' && !isHttpUrl(config.apiBaseUrl))) {
    throw new Error('config.json: apiBaseUrl must be an http(s) URL or empty');
  }
  const auth = config.auth as { type?: unknown; authority?: unknown; clientId?: unknown; scopes?: unknown } | undefined;
  if (auth?.type === 'local') return { apiBaseUrl: config.apiBaseUrl, auth: { type: 'local' } };
  if (auth?.type === 'oidc') {
    if (typeof auth.authority !== 'string' || !isHttpUrl(auth.authority)) throw new Error('config.json: auth.authority must be the identity provider URL');
    if (typeof auth.clientId !== 'string' || auth.clientId === '') throw new Error('config.json: auth.clientId is missing');
    if (typeof auth.scopes !== 'string' || auth.scopes.trim() === '') throw new Error('config.json: auth.scopes is missing');
    return { apiBaseUrl: config.apiBaseUrl, auth: { type: 'oidc', authority: auth.authority, clientId: auth.clientId, scopes: auth.scopes } };
  }
  throw new Error('config.json: auth.type must be "local" or "oidc"');
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
