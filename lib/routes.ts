/**
 * The route table: every route of the API, the function that serves it and what that function may do
 * with the table. The stack, the local server, the scopes, the token tool, the alarms and the docs all
 * derive from it, so adding a route is one entry here and one handler in lib/handlers/.
 */

/** The two Lambda functions: the writer serves the POST route, the reader every GET route. */
export const FUNCTIONS = {
  writer: { entry: 'functions/writer.ts', access: 'write', description: 'Quiz submission events writer (POST)' },
  reader: { entry: 'functions/reader.ts', access: 'read', description: 'Quiz submission events reader (every GET route)' },
} as const;

export type FunctionName = keyof typeof FUNCTIONS;
/** What a function may do with the table; a scope override applies to every route of that access. */
export type TableAccess = (typeof FUNCTIONS)[FunctionName]['access'];

export type HttpMethod = 'GET' | 'POST';

interface RouteDefinition {
  method: HttpMethod;
  /** In API Gateway's route syntax: `{name}` for a path parameter. */
  path: string;
  servedBy: FunctionName;
  /** One line for the docs and the OpenAPI description. */
  summary: string;
}

const SUBMISSION_EVENTS = '/api/v1/courses/{course_id}/quizzes/{quiz_id}/submissions/{id}/events';
const QUIZ_EVENTS = '/api/v1/courses/{course_id}/quizzes/{quiz_id}/submission_events';

export const ROUTES = {
  postEvents: { method: 'POST', path: SUBMISSION_EVENTS, servedBy: 'writer', summary: "Store a batch of a submission's events" },
  getEvents: { method: 'GET', path: SUBMISSION_EVENTS, servedBy: 'reader', summary: "One page of a submission attempt's events" },
  getEventsSummary: { method: 'GET', path: `${SUBMISSION_EVENTS}/summary`, servedBy: 'reader', summary: "The facts of one submission attempt, computed from its events" },
  getQuizEvents: { method: 'GET', path: QUIZ_EVENTS, servedBy: 'reader', summary: "One page of every submission's events in a quiz" },
  getQuizSummaries: { method: 'GET', path: `${QUIZ_EVENTS}/summary`, servedBy: 'reader', summary: "One page of a quiz's submissions, one summary per attempt" },
} as const satisfies Record<string, RouteDefinition>;

export type RouteId = keyof typeof ROUTES;

export const ROUTE_IDS = Object.keys(ROUTES) as RouteId[];

/** The ids of the routes one function serves. */
export type RouteIdServedBy<Name extends FunctionName> = {
  [Id in RouteId]: (typeof ROUTES)[Id]['servedBy'] extends Name ? Id : never;
}[RouteId];

export const routesServedBy = (name: FunctionName): RouteId[] => ROUTE_IDS.filter((id) => ROUTES[id].servedBy === name);

export const accessOf = (id: RouteId): TableAccess => FUNCTIONS[ROUTES[id].servedBy].access;

/** The route as API Gateway names it, e.g. "GET /api/v1/courses/{course_id}/…/events". */
export const routeKey = (id: RouteId): string => `${ROUTES[id].method} ${ROUTES[id].path}`;

/** A path parameter in a route's path: `{name}`. */
const PARAMETER = /\{(\w+)\}/g;

/** The path as Canvas writes it in scope strings: /api/v1/courses/:course_id/…/events. */
export const canvasPathTemplate = (id: RouteId): string => ROUTES[id].path.replace(PARAMETER, ':$1');

/** Every method some route answers, for CORS. */
export const ROUTE_METHODS: readonly HttpMethod[] = [...new Set(ROUTE_IDS.map((id) => ROUTES[id].method))].sort();

const matchers = ROUTE_IDS.map((id) => {
  const { method, path } = ROUTES[id];
  return {
    id,
    method,
    names: [...path.matchAll(PARAMETER)].map((match) => match[1]!),
    pattern: new RegExp(`^${path.replace(PARAMETER, '([^/]+)')}$`),
  };
});

export interface MatchedRoute {
  id: RouteId;
  pathParameters: Record<string, string>;
}

/** The route a request's method and raw path select, with its decoded path parameters; undefined for none. */
export function matchRoute(method: string | undefined, rawPath: string): MatchedRoute | undefined {
  for (const matcher of matchers) {
    if (matcher.method !== method) continue;
    const match = matcher.pattern.exec(rawPath);
    if (match) return { id: matcher.id, pathParameters: Object.fromEntries(matcher.names.map((name, i) => [name, safeDecode(match[i + 1]!)])) };
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
