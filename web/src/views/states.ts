import { ApiError, NetworkError } from '../api-client.ts';
import type { Session } from '../auth/session.ts';
import { type Child, h, replaceChildren } from '../dom.ts';

/**
 * Loading, empty and failed states: each says what happened and what to do next. Errors are
 * announced (role="alert"); loading is a polite status.
 */

export function renderLoading(main: HTMLElement, what: string): { progress(text: string): void } {
  const status = h('p', { class: 'state-detail' }, 'Asking the API…');
  main.setAttribute('aria-busy', 'true');
  replaceChildren(main, h('section', { class: 'state state-loading', role: 'status', 'aria-live': 'polite' }, h('h1', {}, `Loading ${what}`), status));
  return { progress: (text) => void (status.textContent = text) };
}

export function renderEmpty(main: HTMLElement, title: string, detail: string, ...actions: Child[]): void {
  main.removeAttribute('aria-busy');
  replaceChildren(main, h('section', { class: 'state state-empty' }, h('h1', { tabindex: -1 }, title), h('p', { class: 'state-detail' }, detail), actions.length > 0 && h('p', { class: 'state-actions' }, ...actions)));
}

export interface ProblemContext {
  /** What was being loaded, e.g. "course 1, quiz 2". */
  subject: string;
  /** Said on a 404: which ids may be wrong. */
  notFound: string;
  session: Session;
  retry: () => void;
  /** A way back, e.g. a link to the class. */
  back?: Child;
}

export function renderProblem(main: HTMLElement, error: unknown, context: ProblemContext): void {
  const { title, detail, actions } = describeProblem(error, context);
  main.removeAttribute('aria-busy');
  replaceChildren(
    main,
    h('section', { class: 'state state-problem', role: 'alert' }, h('h1', { tabindex: -1 }, title), ...detail.map((text) => h('p', { class: 'state-detail' }, text)), h('p', { class: 'state-actions' }, ...actions, context.back)),
  );
}

function describeProblem(error: unknown, { subject, notFound, session, retry }: ProblemContext): { title: string; detail: string[]; actions: Child[] } {
  const retryButton = (label = 'Try again') => h('button', { type: 'button', class: 'button', on: { click: retry } }, label);
  if (error instanceof NetworkError) {
    return {
      title: 'The quiz log service could not be reached',
      detail: [error.message, 'Check your network connection, then try again. If this page and the API are on different sites, the API must list this page’s origin in its CORS settings.'],
      actions: [retryButton()],
    };
  }
  if (!(error instanceof ApiError)) {
    return { title: 'Something went wrong on this page', detail: [String((error as Error)?.message ?? error), 'Reload the page; if it happens again, report it with the address of this page.'], actions: [retryButton('Reload')] };
  }
  const said = `The API said: “${error.message}” (HTTP ${error.status}).`;
  switch (error.status) {
    case 401:
      return {
        title: 'You are not signed in, or your sign-in has expired',
        detail: session.renewal.kind === 'instructions' ? [said, session.renewal.text] : [said, 'Sign in again to continue; you will come back to this view.'],
        actions: session.renewal.kind === 'redirect' ? [h('button', { type: 'button', class: 'button', on: { click: session.renewal.signIn } }, 'Sign in again')] : [],
      };
    case 403:
      return {
        title: `You may not read the quiz log of ${subject}`,
        detail: [said, 'Your sign-in does not grant reading this course’s quiz events. Check the course id in the address, or ask your LMS administrator for a reader role in this course.'],
        actions: [],
      };
    case 404:
      return { title: 'Not found', detail: [said, notFound], actions: [] };
    case 429:
    case 503:
      return {
        title: error.status === 503 ? 'The quiz log service is busy' : 'Too many requests',
        detail: [
          said,
          `Nothing was lost: the events are stored. Try again ${error.retryAfterSeconds ? `in ${error.retryAfterSeconds} second${error.retryAfterSeconds === 1 ? '' : 's'}` : 'in a moment'}.`,
        ],
        actions: [retryButton()],
      };
    default:
      return { title: `The API answered with an error (HTTP ${error.status})`, detail: [said, 'Try again; if it keeps failing, report it with the address of this page.'], actions: [retryButton()] };
  }
}
