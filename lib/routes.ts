/** The API's one resource path, in API Gateway's route syntax; the stack and the local server both route it. */
export const EVENTS_PATH = '/api/v1/courses/{course_id}/quizzes/{quiz_id}/submissions/{id}/events';

export const EVENTS_METHODS = ['GET', 'POST'] as const;
export type EventsMethod = (typeof EVENTS_METHODS)[number];

export const routeKey = (method: EventsMethod): string => `${method} ${EVENTS_PATH}`;

const PARAMETER = /\{(\w+)\}/g;
const parameterNames = [...EVENTS_PATH.matchAll(PARAMETER)].map((match) => match[1]!);
const pathPattern = new RegExp(`^${EVENTS_PATH.replace(PARAMETER, '([^/]+)')}$`);

/** The path parameters of a raw path on the events route, or undefined when it is not that route. */
export function matchEventsPath(rawPath: string): Record<string, string> | undefined {
  const match = pathPattern.exec(rawPath);
  if (!match) return undefined;
  return Object.fromEntries(parameterNames.map((name, i) => [name, safeDecode(match[i + 1]!)]));
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
