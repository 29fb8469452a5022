import { createApiClient } from './api-client.ts';
import { localSession } from './auth/local-sign-in.ts';
import type { Session } from './auth/session.ts';
import { h, replaceChildren } from './dom.ts';
import { type Route, parseRoute, routeHref } from './route.ts';
import { parseSiteConfig, type SiteConfig } from './site-config.ts';
import { renderAttemptView } from './views/attempt-view.ts';
import { renderClassView } from './views/class-view.ts';
import { renderStartView } from './views/start-view.ts';
import type { ViewContext } from './views/view-context.ts';

const main = document.getElementById('main')!;

async function start(): Promise<void> {
  let config: SiteConfig;
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(`config.json answered HTTP ${response.status}`);
    config = parseSiteConfig(await response.json());
  } catch (error) {
    return fatal('This page is not configured', `${(error as Error).message}. The site needs a config.json beside index.html (see the README).`);
  }

  let session: Session;
  if (config.auth.type === 'oidc') {
    try {
      // Only a deployed page signs in through an identity provider: the local page never loads the library.
      const { oidcSession } = await import('./auth/oidc-sign-in.ts');
      const signedIn = await oidcSession(config.auth);
      if (signedIn === 'redirecting') return;
      session = signedIn;
    } catch (error) {
      return fatal('Sign-in failed', `${(error as Error).message}. Reload the page to sign in again.`);
    }
  } else {
    session = localSession();
  }

  const api = createApiClient({ baseUrl: config.apiBaseUrl, token: () => session.token() });
  let current: AbortController | undefined;

  const show = () => {
    current?.abort();
    current = new AbortController();
    const route = parseRoute(location.search);
    const context: ViewContext = { api, session, navigate, signal: current.signal };
    if (!session.token() && route.view !== 'start') return notSignedIn(session);
    const rendering = route.view === 'class' ? renderClassView(main, route, context) : route.view === 'attempt' ? renderAttemptView(main, route, context) : renderStartView(main, route, context);
    void Promise.resolve(rendering).then(() => {
      if (!context.signal.aborted) focusHeading();
    });
    document.title = titleOf(route);
  };

  function navigate(route: Route, { replace = false, addressOnly = false } = {}) {
    const href = routeHref(route);
    if (replace) history.replaceState(null, '', href);
    else history.pushState(null, '', href);
    if (!addressOnly) show();
  }

  // Links inside the page change the view without reloading it; the address stays a plain link.
  document.addEventListener('click', (event) => {
    const link = (event.target as Element).closest?.('a[data-nav]') as HTMLAnchorElement | null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(parseRoute(new URL(link.href).search));
  });
  window.addEventListener('popstate', show);
  show();
}

function notSignedIn(session: Session) {
  main.removeAttribute('aria-busy');
  const advice = session.renewal.kind === 'instructions' ? session.renewal.text : 'Sign in to continue.';
  replaceChildren(
    main,
    h(
      'section',
      { class: 'state state-problem', role: 'alert' },
      h('h1', { tabindex: -1 }, 'You are not signed in'),
      h('p', { class: 'state-detail' }, advice),
      session.renewal.kind === 'redirect' && h('p', {}, h('button', { type: 'button', class: 'button', on: { click: session.renewal.signIn } }, 'Sign in')),
    ),
  );
}

function fatal(title: string, detail: string) {
  main.removeAttribute('aria-busy');
  replaceChildren(main, h('section', { class: 'state state-problem', role: 'alert' }, h('h1', { tabindex: -1 }, title), h('p', { class: 'state-detail' }, detail)));
}

/** After a view changes, a screen reader starts at its heading, as on a new page. */
function focusHeading() {
  const heading = main.querySelector<HTMLElement>('h1');
  if (heading && !main.contains(document.activeElement)) heading.focus({ preventScroll: true });
}

function titleOf(route: Route): string {
  if (route.view === 'class') return `Quiz ${route.quiz} · course ${route.course} — Quiz log`;
  if (route.view === 'attempt') return `Submission ${route.submission}${route.attempt ? ` · attempt ${route.attempt}` : ''} — Quiz log`;
  return 'Quiz log';
}

void start();
