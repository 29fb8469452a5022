import type { AttemptSummary } from '../api-types.ts';
import { toCsv } from '../csv.ts';
import { h, replaceChildren } from '../dom.ts';
import { formatInstant, formatShortInstant } from '../format.ts';
import { type Route, routeHref } from '../route.ts';
import { CLASS_COLUMNS, type ClassColumn, DEFAULT_SORT, sortSummaries } from './class-columns.ts';
import { renderEmpty, renderLoading, renderProblem } from './states.ts';
import type { ViewContext } from './view-context.ts';

type ClassRoute = Extract<Route, { view: 'class' }>;

/** Columns read as text (left-aligned); the others are figures. */
const TEXT_COLUMNS = ['submission', 'attempt', 'started', 'notes'];

/** The whole class first: each submission's latest attempt, one row each, sortable, exportable. */
export async function renderClassView(main: HTMLElement, route: ClassRoute, context: ViewContext): Promise<void> {
  const subject = `course ${route.course}, quiz ${route.quiz}`;
  const loading = renderLoading(main, `the class of ${subject}`);
  let summaries: AttemptSummary[];
  try {
    summaries = await context.api.quizSummaries(route.course, route.quiz, { attempt: 'latest' }, { signal: context.signal, onPage: (count) => loading.progress(`${count} submissions so far…`) });
  } catch (error) {
    if (context.signal.aborted) return;
    return renderProblem(main, error, {
      subject,
      notFound: 'Check the course and quiz ids in the address.',
      session: context.session,
      retry: () => context.navigate(route, { replace: true }),
      back: startLink(),
    });
  }
  if (context.signal.aborted) return;
  if (summaries.length === 0) {
    return renderEmpty(
      main,
      'No submissions yet',
      `No student has sent quiz events for ${subject}. Their events show here as soon as they start the quiz; if you expected some, check the course and quiz ids.`,
      startLink(),
    );
  }

  const column = CLASS_COLUMNS.find((known) => known.key === route.sort) ?? CLASS_COLUMNS.find((known) => known.key === DEFAULT_SORT)!;
  let sort = { column, direction: route.direction ?? column.firstDirection };
  const caption = h('p', { id: 'class-caption', class: 'table-caption' });
  const body = h('tbody', {});
  const headers = CLASS_COLUMNS.map((candidate) => {
    const button = h('button', { type: 'button', class: 'sort-button', on: { click: () => sortBy(candidate) } }, candidate.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }));
    const cell = h('th', { scope: 'col', 'data-column': candidate.key, class: TEXT_COLUMNS.includes(candidate.key) ? undefined : 'number' }, button);
    return { candidate, cell };
  });

  function sortBy(candidate: ClassColumn) {
    const direction = sort.column === candidate ? (sort.direction === 'asc' ? 'desc' : 'asc') : candidate.firstDirection;
    sort = { column: candidate, direction };
    // The sort belongs in the address (a link shows the same order) but not in the back button's history.
    context.navigate({ ...route, sort: candidate.key, direction }, { replace: true, addressOnly: true });
    draw();
  }

  function draw() {
    const sorted = sortSummaries(summaries, sort.column, sort.direction);
    for (const { candidate, cell } of headers) {
      cell.setAttribute('aria-sort', candidate === sort.column ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none');
    }
    replaceChildren(caption, `Latest attempt of each of the ${summaries.length} submissions, sorted by ${sort.column.label.toLowerCase()} (${sort.direction === 'asc' ? 'ascending' : 'descending'}).`);
    replaceChildren(body, ...sorted.map((summary) => row(summary, route)));
    shown = sorted;
  }
  let shown: AttemptSummary[] = [];

  const download = h('button', { type: 'button', class: 'button', on: { click: () => downloadCsv(shown, route) } }, 'Download CSV');
  main.removeAttribute('aria-busy');
  replaceChildren(
    main,
    h('nav', { 'aria-label': 'Breadcrumb', class: 'breadcrumb' }, startLink()),
    h('div', { class: 'view-header' }, h('h1', { tabindex: -1 }, `Quiz ${route.quiz} · course ${route.course}`), download),
    h('p', { class: 'lede' }, 'Facts from each submission’s latest attempt, not a verdict. Sort by a column, open a submission to read its log, or pick an earlier attempt.'),
    caption,
    // A region of its own, focusable, so a keyboard can scroll the table sideways on a narrow screen.
    h('div', { class: 'table-scroll', role: 'region', 'aria-labelledby': 'class-caption', tabindex: 0 }, h('table', { class: 'class-table', 'aria-labelledby': 'class-caption' }, h('thead', {}, h('tr', {}, ...headers.map(({ cell }) => cell))), body)),
  );
  draw();
}

function row(summary: AttemptSummary, route: ClassRoute): HTMLTableRowElement {
  const attemptRoute = (attempt: number): Route => ({ view: 'attempt', course: route.course, quiz: route.quiz, submission: summary.submission_id, attempt });
  const cells = CLASS_COLUMNS.map((column) => {
    switch (column.key) {
      case 'submission':
        return h('th', { scope: 'row' }, h('a', { href: routeHref(attemptRoute(summary.attempt)), 'data-nav': true }, summary.submission_id));
      case 'attempt':
        return h(
          'td',
          {},
          h(
            'span',
            { class: 'attempts' },
            ...Array.from({ length: summary.attempt }, (_, index) => index + 1).map((attempt) =>
            attempt === summary.attempt
              ? h('span', { class: 'attempt-current', title: 'Latest attempt' }, attempt)
              : h('a', { href: routeHref(attemptRoute(attempt)), 'data-nav': true, 'aria-label': `Submission ${summary.submission_id}, attempt ${attempt}` }, attempt),
            ),
          ),
        );
      case 'started':
        return h('td', {}, summary.first_event_at ? h('time', { datetime: summary.first_event_at, title: formatInstant(summary.first_event_at) }, formatShortInstant(summary.first_event_at)) : '—');
      default:
        return h('td', { class: column.key === 'notes' ? 'notes' : 'number' }, column.text!(summary));
    }
  });
  return h('tr', { 'data-submission': summary.submission_id }, ...cells);
}

function downloadCsv(summaries: readonly AttemptSummary[], route: ClassRoute) {
  const csv = toCsv([CLASS_COLUMNS.map((column) => column.csvHeader), ...summaries.map((summary) => CLASS_COLUMNS.map((column) => column.csv(summary)))]);
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = h('a', { href: url, download: `quiz-log-course-${route.course}-quiz-${route.quiz}.csv`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const startLink = () => h('a', { href: routeHref({ view: 'start' }), 'data-nav': true }, 'Choose another quiz');
