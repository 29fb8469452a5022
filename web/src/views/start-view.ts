import { h, replaceChildren } from '../dom.ts';
import type { Route } from '../route.ts';
import type { ViewContext } from './view-context.ts';

type StartRoute = Extract<Route, { view: 'start' }>;

/** No quiz chosen yet: ask for the ids, as they appear in the LMS's quiz address. */
export function renderStartView(main: HTMLElement, route: StartRoute, context: ViewContext): void {
  const field = (name: string, label: string, hint: string) => {
    const hintId = `${name}-hint`;
    return h(
      'p',
      { class: 'field' },
      h('label', { for: name }, label),
      h('input', { id: name, name, required: true, pattern: '[A-Za-z0-9_.:~\\-]{1,128}', autocomplete: 'off', inputmode: 'text', 'aria-describedby': hintId }),
      h('span', { class: 'hint', id: hintId }, hint),
    );
  };
  const form = h(
    'form',
    { class: 'start-form', method: 'get', action: '' },
    field('course', 'Course id', 'The number after /courses/ in the quiz’s address.'),
    field('quiz', 'Quiz id', 'The number after /quizzes/.'),
    h('p', {}, h('button', { type: 'submit', class: 'button' }, 'Open the class')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    context.navigate({ view: 'class', course: String(data.get('course')).trim(), quiz: String(data.get('quiz')).trim() });
  });
  main.removeAttribute('aria-busy');
  replaceChildren(
    main,
    h('h1', { tabindex: -1 }, 'Quiz log'),
    route.problem && h('p', { class: 'state-problem-inline', role: 'alert' }, `${route.problem} Enter the course and quiz below.`),
    h('p', { class: 'lede' }, 'What each student did while taking a quiz: when they left the quiz page and for how long, which questions they viewed, flagged and answered. Start with the whole class, then open one attempt.'),
    form,
  );
}
