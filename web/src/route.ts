/**
 * The page's address is its state: `?course=1&quiz=2` is the class, `&submission=3&attempt=1` one
 * attempt, so every view can be linked to and the back button walks them.
 */

// The API's own rule for path ids (docs/api.md): anything else never reaches it.
import { PATH_ID_PATTERN } from '#lib/domain/limits.ts';

export const SORT_DIRECTIONS = ['asc', 'desc'] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

export type Route =
  | { view: 'start'; problem?: string }
  | { view: 'class'; course: string; quiz: string; sort?: string; direction?: SortDirection }
  | { view: 'attempt'; course: string; quiz: string; submission: string; attempt?: number };

export function parseRoute(search: string): Route {
  const query = new URLSearchParams(search);
  const course = query.get('course');
  const quiz = query.get('quiz');
  const submission = query.get('submission');
  if (course === null && quiz === null && submission === null) return { view: 'start' };
  for (const [name, value] of [['course', course], ['quiz', quiz]] as const) {
    if (value === null) return { view: 'start', problem: `The address names no ${name}.` };
    if (!PATH_ID_PATTERN.test(value)) return { view: 'start', problem: `The ${name} id in the address is not a valid id.` };
  }
  if (submission === null) {
    const direction = SORT_DIRECTIONS.find((known) => known === query.get('dir'));
    return { view: 'class', course: course!, quiz: quiz!, ...optional('sort', query.get('sort') ?? undefined), ...optional('direction', direction) };
  }
  if (!PATH_ID_PATTERN.test(submission)) return { view: 'start', problem: 'The submission id in the address is not a valid id.' };
  const attemptText = query.get('attempt');
  if (attemptText === null) return { view: 'attempt', course: course!, quiz: quiz!, submission };
  const attempt = Number(attemptText);
  if (!/^[1-9]\d{0,9}$/.test(attemptText) || !Number.isSafeInteger(attempt)) {
    return { view: 'start', problem: 'The attempt in the address is not a positive whole number.' };
  }
  return { view: 'attempt', course: course!, quiz: quiz!, submission, attempt };
}

export function routeHref(route: Route): string {
  const query = new URLSearchParams();
  if (route.view === 'start') return '?';
  query.set('course', route.course);
  query.set('quiz', route.quiz);
  if (route.view === 'class') {
    if (route.sort) query.set('sort', route.sort);
    if (route.direction) query.set('dir', route.direction);
  } else {
    query.set('submission', route.submission);
    if (route.attempt !== undefined) query.set('attempt', String(route.attempt));
  }
  return `?${query}`;
}

const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));
