import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { OidcSignIn } from '../site-config.ts';
import type { Session } from './session.ts';

/**
 * Authorization code flow with PKCE (oidc-client-ts's default) against the deployment's identity
 * provider. Loaded only when config.json asks for it, so the local page does not carry the library.
 * Tokens live in this tab's sessionStorage; nothing renews silently (no hidden iframe to allow).
 * The page's own query (the view) travels through the provider in `state` and is restored after.
 */
export async function oidcSession(settings: OidcSignIn): Promise<Session | 'redirecting'> {
  const manager = new UserManager({
    authority: settings.authority,
    client_id: settings.clientId,
    redirect_uri: `${location.origin}${location.pathname}`,
    response_type: 'code',
    scope: settings.scopes,
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    automaticSilentRenew: false,
    monitorSession: false,
  });
  const signIn = () => void manager.removeUser().then(() => manager.signinRedirect({ state: location.search }));

  const query = new URLSearchParams(location.search);
  if (query.has('code') && query.has('state')) {
    const user = await manager.signinRedirectCallback();
    history.replaceState(null, '', `${location.pathname}${typeof user.state === 'string' ? user.state : ''}`);
  }
  const user = await manager.getUser();
  if (!user || user.expired) {
    await manager.signinRedirect({ state: location.search });
    return 'redirecting';
  }
  return {
    token: () => user.access_token,
    renewal: { kind: 'redirect', signIn },
  };
}
