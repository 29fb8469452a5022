import type { Session } from './session.ts';

const STORAGE_KEY = 'quiz-log.access-token';

/**
 * The local server's ready link carries a reader token in the fragment (`#access_token=…`), which the
 * browser never sends to any server. It is moved into this tab's sessionStorage and the fragment is
 * taken out of the address bar, so it does not end up in bookmarks, history or screenshots.
 */
export function localSession(): Session {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const handedOver = fragment.get('access_token');
  if (handedOver) {
    sessionStorage.setItem(STORAGE_KEY, handedOver);
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  }
  return {
    token: () => sessionStorage.getItem(STORAGE_KEY) ?? undefined,
    renewal: { kind: 'instructions', text: 'Open the link that `npm start` prints (it signs you in for an hour), or make a reader token with `npm run token -- --scopes read` and open this page with #access_token=<token> at the end of its address.' },
  };
}
