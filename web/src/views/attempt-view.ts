import { ApiError } from '../api-client.ts';
import { type AttemptSummary, questionsFlagged, questionsViewed, type QuizEvent } from '../api-types.ts';
import { type Child, h, replaceChildren } from '../dom.ts';
import { describeEvent, eventTypeLabel, KNOWN_EVENT_TYPES } from '../event-description.ts';
import { formatDuration, formatInstant, millisBetween } from '../format.ts';
import { type Route, routeHref } from '../route.ts';
import { renderEmpty, renderLoading, renderProblem } from './states.ts';
import { drawTimeline } from './timeline.ts';
import type { ViewContext } from './view-context.ts';

type AttemptRoute = Extract<Route, { view: 'attempt' }>;

/** Then one attempt: its facts, its timeline and its event stream in Canvas's words. */
export async function renderAttemptView(main: HTMLElement, route: AttemptRoute, context: ViewContext): Promise<void> {
  const subject = `submission ${route.submission} (course ${route.course}, quiz ${route.quiz})`;
  const classRoute: Route = { view: 'class', course: route.course, quiz: route.quiz };
  const backToClass = () => h('a', { href: routeHref(classRoute), 'data-nav': true }, `Back to the class of quiz ${route.quiz}`);
  const loading = renderLoading(main, `the log of ${subject}`);
  const problem = (error: unknown) =>
    renderProblem(main, error, {
      subject: `course ${route.course}`,
      notFound: `There is no ${route.attempt ? `attempt ${route.attempt} of ` : ''}submission ${route.submission} in quiz ${route.quiz} of course ${route.course}. Check the ids in the address, or pick the submission from the class.`,
      session: context.session,
      retry: () => context.navigate(route, { replace: true }),
      back: backToClass(),
    });

  let attempts: AttemptSummary[];
  let events: QuizEvent[];
  let summary: AttemptSummary;
  try {
    attempts = await context.api.quizSummaries(route.course, route.quiz, { attempt: 'all', submission: route.submission }, { signal: context.signal });
    attempts = attempts.filter((candidate) => candidate.submission_id === route.submission).sort((a, b) => a.attempt - b.attempt);
    const latest = attempts.at(-1)?.attempt;
    if (latest === undefined) {
      if (context.signal.aborted) return;
      return renderEmpty(main, 'No such submission', `Submission ${route.submission} has sent no events in quiz ${route.quiz} of course ${route.course}. Check the submission id, or pick one from the class.`, backToClass());
    }
    const attempt = route.attempt ?? latest;
    const found = attempts.find((candidate) => candidate.attempt === attempt);
    events = await context.api.attemptEvents(route.course, route.quiz, route.submission, attempt, { signal: context.signal, onPage: (count) => loading.progress(`${count} events so far…`) });
    if (!found) throw new ApiError(404, `Attempt ${attempt} has no summary.`);
    summary = found;
  } catch (error) {
    if (context.signal.aborted) return;
    return problem(error);
  }
  if (context.signal.aborted) return;

  const title = `Submission ${route.submission} · attempt ${summary.attempt}`;
  const sections: Child[] =
    events.length === 0
      ? [h('section', { class: 'state state-empty' }, h('h2', {}, 'This attempt has no events'), h('p', { class: 'state-detail' }, 'The quiz page sent nothing for this attempt (or its events have expired). Pick another attempt above.'))]
      : [facts(summary), timelineSection(summary, events), streamSection(summary, events)];
  main.removeAttribute('aria-busy');
  replaceChildren(
    main,
    h('nav', { 'aria-label': 'Breadcrumb', class: 'breadcrumb' }, backToClass()),
    h('div', { class: 'view-header' }, h('h1', { tabindex: -1 }, title), h('button', { type: 'button', class: 'button', on: { click: () => context.navigate(route, { replace: true }) } }, 'Reload')),
    attemptSwitcher(route, attempts, summary.attempt),
    ...sections,
  );
}

function attemptSwitcher(route: AttemptRoute, attempts: readonly AttemptSummary[], current: number): HTMLElement {
  return h(
    'nav',
    { 'aria-label': 'Attempts', class: 'attempt-switcher' },
    h('span', { class: 'attempt-switcher-label', id: 'attempts-label' }, 'Attempts'),
    h(
      'ul',
      { 'aria-labelledby': 'attempts-label' },
      ...attempts.map((attempt) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: routeHref({ ...route, attempt: attempt.attempt }), 'data-nav': true, 'aria-current': attempt.attempt === current ? 'page' : undefined, class: 'attempt-link' },
            h('span', { class: 'attempt-number' }, `Attempt ${attempt.attempt}`),
            h('span', { class: 'attempt-meta' }, `${formatDuration(attempt.duration_ms)} · ${attempt.blur_count} blur${attempt.blur_count === 1 ? '' : 's'}`),
          ),
        ),
      ),
    ),
  );
}

function facts(summary: AttemptSummary): HTMLElement {
  const items: [string, Child][] = [
    ['First event', time(summary.first_event_at)],
    ['Last event', time(summary.last_event_at)],
    ['Duration', formatDuration(summary.duration_ms)],
    ['Events', summary.event_count],
    ['Sessions', summary.session_count],
    ['Blur count', summary.blur_count],
    ['Time away', formatDuration(summary.unfocused_ms_total)],
    ['Longest away', formatDuration(summary.unfocused_ms_max)],
    ['Questions viewed', questionsViewed(summary)],
    ['Questions flagged', questionsFlagged(summary)],
    ['Largest receive lag', formatDuration(summary.max_receive_lag_ms)],
    ['Receipt time used', `${summary.clock_fallback_count} event${summary.clock_fallback_count === 1 ? '' : 's'}`],
  ];
  return h('section', { 'aria-labelledby': 'facts-heading', class: 'facts' }, h('h2', { id: 'facts-heading' }, 'Facts'), h('dl', {}, ...items.map(([term, value]) => h('div', { class: 'fact' }, h('dt', {}, term), h('dd', {}, value)))));
}

function timelineSection(summary: AttemptSummary, events: readonly QuizEvent[]): HTMLElement {
  const canvas = h('div', { class: 'timeline-frame' });
  let drawnWidth = 0;
  const draw = () => {
    const width = Math.round(canvas.clientWidth);
    if (width === 0 || width === drawnWidth) return;
    drawnWidth = width;
    replaceChildren(canvas, drawTimeline(summary, events, width));
  };
  new ResizeObserver(draw).observe(canvas);
  const start = summary.first_event_at!;
  const intervals = summary.unfocused_intervals;
  return h(
    'section',
    { 'aria-labelledby': 'timeline-heading', class: 'timeline-section' },
    h('h2', { id: 'timeline-heading' }, 'Timeline'),
    h('figure', {}, canvas, h('figcaption', { class: 'legend' }, swatch('swatch-away', 'Away from the quiz page'), swatch('swatch-open', 'Still away at the last event'), swatch('swatch-view', 'Question viewed'), swatch('swatch-session', 'Session started'))),
    h('h3', { id: 'intervals-heading' }, `Time away from the quiz page (${intervals.length})`),
    intervals.length === 0
      ? h('p', {}, 'The student never left the quiz page during this attempt.')
      : h(
          'div',
          { class: 'table-scroll table-fit', role: 'region', 'aria-labelledby': 'intervals-heading', tabindex: 0 },
          h(
            'table',
            { class: 'intervals-table' },
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), ...['Left at', 'Back at', 'Away for'].map((label) => h('th', { scope: 'col', class: 'number' }, label)))),
            h(
              'tbody',
              {},
              ...intervals.map((interval, index) =>
                h(
                  'tr',
                  { 'data-interval': index },
                  h('th', { scope: 'row' }, index + 1),
                  h('td', { class: 'number' }, formatDuration(millisBetween(start, interval.started_at))),
                  h('td', { class: 'number' }, interval.open ? `${formatDuration(millisBetween(start, interval.ended_at))} (still away)` : formatDuration(millisBetween(start, interval.ended_at))),
                  h('td', { class: 'number' }, formatDuration(interval.duration_ms)),
                ),
              ),
            ),
          ),
        ),
  );
}

function streamSection(summary: AttemptSummary, events: readonly QuizEvent[]): HTMLElement {
  const start = summary.first_event_at!;
  const types = [...new Set(events.map((event) => event.event_type))].sort((a, b) => typeRank(a) - typeRank(b) || a.localeCompare(b));
  const counts = new Map(types.map((type) => [type, events.filter((event) => event.event_type === type).length]));
  const shownCount = h('p', { class: 'shown-count', role: 'status' });
  const rows = events.map((event, index) => eventRow(event, index, start));
  const boxes = types.map((type) => h('input', { type: 'checkbox', id: `filter-${types.indexOf(type)}`, value: type, checked: true, on: { change: apply } }));

  function apply() {
    const visible = new Set(boxes.filter((box) => box.checked).map((box) => box.value));
    let shown = 0;
    rows.forEach((row, index) => {
      row.hidden = !visible.has(events[index]!.event_type);
      if (!row.hidden) shown++;
    });
    shownCount.textContent = `Showing ${shown} of ${events.length} events.`;
  }
  const setAll = (checked: boolean) => () => {
    for (const box of boxes) box.checked = checked;
    apply();
  };
  apply();

  return h(
    'section',
    { 'aria-labelledby': 'stream-heading', class: 'stream-section' },
    h('h2', { id: 'stream-heading' }, 'Action log'),
    h(
      'fieldset',
      { class: 'filters' },
      h('legend', {}, 'Show event types'),
      h('div', { class: 'filter-boxes' }, ...types.map((type, index) => h('label', { class: 'filter', for: boxes[index]!.id }, boxes[index], ` ${eventTypeLabel(type)} (${counts.get(type)})`))),
      h('p', { class: 'filter-actions' }, h('button', { type: 'button', class: 'button button-small', on: { click: setAll(true) } }, 'Show all'), h('button', { type: 'button', class: 'button button-small', on: { click: setAll(false) } }, 'Hide all')),
    ),
    shownCount,
    h('ol', { class: 'event-stream' }, ...rows),
  );
}

function eventRow(event: QuizEvent, index: number, start: string): HTMLLIElement {
  const panelId = `event-data-${index}`;
  const panel = h(
    'div',
    { id: panelId, class: 'event-data', hidden: true },
    h('pre', {}, JSON.stringify(event.event_data, null, 2) ?? 'null'),
    h('p', { class: 'event-times' }, `created_at ${event.created_at} · client_timestamp ${event.client_timestamp ?? 'none'} · received_at ${event.received_at}`),
  );
  const toggle = h('button', { type: 'button', class: 'button button-small data-toggle', 'aria-expanded': 'false', 'aria-controls': panelId }, 'Show data');
  toggle.addEventListener('click', () => {
    const open = panel.hidden;
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Hide data' : 'Show data';
  });
  const since = millisBetween(start, event.created_at);
  return h(
    'li',
    { class: `event event-${KNOWN_EVENT_TYPES.includes(event.event_type as never) ? event.event_type : 'other'}`, 'data-event-type': event.event_type },
    h('time', { class: 'event-since', datetime: event.created_at, title: formatInstant(event.created_at) }, formatDuration(since)),
    h('span', { class: 'event-text' }, describeEvent(event.event_type, event.event_data)),
    toggle,
    panel,
  );
}

const typeRank = (type: string) => {
  const rank = KNOWN_EVENT_TYPES.indexOf(type as never);
  return rank === -1 ? KNOWN_EVENT_TYPES.length : rank;
};
const time = (iso: string | null) => (iso ? h('time', { datetime: iso }, formatInstant(iso)) : '—');
const swatch = (className: string, text: string) => h('span', { class: 'legend-item' }, h('span', { class: `swatch ${className}`, 'aria-hidden': 'true' }), text);
