import type { AttemptSummary, QuizEvent } from '../api-types.ts';
import { svg } from '../dom.ts';
import { viewedQuestionIds } from '../event-description.ts';
import { formatDuration, millisBetween } from '../format.ts';

/** Tick spacings to choose from, in seconds: the first that keeps labels ~80 px apart. */
const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];
const MIN_TICK_PX = 80;
const MARGIN = 14;
const VIEW_ROW = { top: 6, bottom: 30 };
const TRACK = { top: 36, bottom: 64 };
const AXIS_Y = 84;
const HEIGHT = 92;

/**
 * The attempt on one horizontal line: time runs left to right from the first event to the last;
 * unfocused intervals are shaded (hatched when still open at the last event), sessions are vertical
 * rules and each question view is a tick above the track. Drawn at the container's pixel width so text
 * stays readable at any screen size; the same facts are in the table and the log below, as text.
 */
export function drawTimeline(summary: AttemptSummary, events: readonly QuizEvent[], width: number): SVGSVGElement {
  const start = summary.first_event_at!;
  const span = Math.max(summary.duration_ms ?? 0, 1000);
  const inner = Math.max(width - 2 * MARGIN, 100);
  const x = (iso: string) => MARGIN + (Math.min(Math.max(millisBetween(start, iso), 0), span) / span) * inner;
  const label = `Timeline of attempt ${summary.attempt}: ${formatDuration(summary.duration_ms)} from the first event to the last; away from the quiz page ${summary.unfocused_intervals.length} time${summary.unfocused_intervals.length === 1 ? '' : 's'}, ${formatDuration(summary.unfocused_ms_total)} in all; ${events.filter((event) => event.event_type === 'question_viewed').length} question views.`;

  const intervals = summary.unfocused_intervals.map((interval, index) => {
    const left = x(interval.started_at);
    return svg(
      'rect',
      {
        class: interval.open ? 'away away-open' : 'away',
        'data-interval': index,
        x: left.toFixed(1),
        y: TRACK.top,
        width: Math.max(x(interval.ended_at) - left, 2).toFixed(1),
        height: TRACK.bottom - TRACK.top,
      },
      svg('title', {}, `Away ${index + 1}: ${formatDuration(millisBetween(start, interval.started_at))} to ${formatDuration(millisBetween(start, interval.ended_at))} (${formatDuration(interval.duration_ms)})${interval.open ? ', still away at the last event' : ''}`),
    );
  });
  const sessions = events
    .filter((event) => event.event_type === 'session_started')
    .map((event) => svg('line', { class: 'session-mark', x1: x(event.created_at).toFixed(1), x2: x(event.created_at).toFixed(1), y1: TRACK.top - 4, y2: TRACK.bottom + 4 }, svg('title', {}, `Session started at ${formatDuration(millisBetween(start, event.created_at))}`)));
  const views = events
    .filter((event) => event.event_type === 'question_viewed')
    .map((event) => {
      const at = x(event.created_at).toFixed(1);
      const ids = viewedQuestionIds(event.event_data).map((id) => `#${id}`).join(', ');
      return svg('line', { class: 'view-mark', x1: at, x2: at, y1: VIEW_ROW.top, y2: VIEW_ROW.bottom }, svg('title', {}, `Viewed question ${ids} at ${formatDuration(millisBetween(start, event.created_at))}`));
    });

  return svg(
    'svg',
    { class: 'timeline', width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img', 'aria-label': label },
    svg('defs', {}, svg('pattern', { id: 'away-open-hatch', width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' }, svg('rect', { class: 'hatch-ground', width: 8, height: 8 }), svg('rect', { class: 'hatch-stripe', width: 4, height: 8 }))),
    svg('rect', { class: 'track', x: MARGIN, y: TRACK.top, width: inner, height: TRACK.bottom - TRACK.top }),
    ...intervals,
    ...sessions,
    ...views,
    ...axis(span, inner),
  );
}

function axis(span: number, inner: number): SVGElement[] {
  const stepSeconds = TICK_STEPS.find((step) => (step * 1000 * inner) / span >= MIN_TICK_PX) ?? TICK_STEPS.at(-1)!;
  const ticks: SVGElement[] = [];
  for (let ms = 0; ms <= span; ms += stepSeconds * 1000) {
    const at = MARGIN + (ms / span) * inner;
    const anchor = ms === 0 ? 'start' : at > MARGIN + inner - 30 ? 'end' : 'middle';
    ticks.push(svg('line', { class: 'tick', x1: at.toFixed(1), x2: at.toFixed(1), y1: TRACK.bottom, y2: TRACK.bottom + 5 }));
    ticks.push(svg('text', { class: 'tick-label', x: at.toFixed(1), y: AXIS_Y, 'text-anchor': anchor }, formatDuration(ms)));
  }
  return ticks;
}
