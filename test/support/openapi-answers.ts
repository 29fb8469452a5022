/**
 * Every answer a test receives from a route is checked against docs/openapi.json: the handler harness
 * (handlers.ts), every fetch and rawRequest (openapi-setup.ts, local-http.ts) hand it over here, and
 * after each test openapi-setup.ts fails the test whose answers broke the document. Free of heavy
 * imports: the validator loads only once an answer comes in.
 */
import { matchRoute, ROUTE_IDS, type RouteId, routeKey } from '#lib/routes.ts';
import type { ReceivedAnswer } from './openapi-validator.ts';

export type { ReceivedAnswer };

/** Answers checked and answers that broke the document, in this test file. */
export const openApiTally = { checked: 0, violated: 0 };

let pending: Promise<void>[] = [];
const stubOrigins = new Set<string>();

/**
 * Leaves the answers of a stand-in server (one shaped like the API for testing a client against)
 * unchecked: they are the test's, not the API's.
 */
export const notTheApi = (serverUrl: string): void => void stubOrigins.add(new URL(serverUrl).origin);

/** Whether an answer from this URL is the API's to check. */
export const isStub = (url: string | URL): boolean => stubOrigins.has(new URL(url).origin);
let violations: string[] = [];

/** The route a request reached by method and raw path (as the gateway matches it), if any. */
export const routeOfRequest = (method: string, rawPath: string): RouteId | undefined => matchRoute(method.toUpperCase(), rawPath)?.id;

/** The route a payload 2.0 event names by its route key, if any. */
export const routeOfKey = (key: string): RouteId | undefined => ROUTE_IDS.find((id) => routeKey(id) === key);

/**
 * Checks an answer of a route, now or once it has been read (undefined: it never was, as when the
 * test aborted it). Requests that reach no route (an unknown path or method) are the gateway's, not
 * an operation's, and are not checked.
 */
export function checkAnswer(route: RouteId | undefined, request: string, answer: ReceivedAnswer | Promise<ReceivedAnswer | undefined>): void {
  if (route === undefined) return;
  pending.push(
    Promise.all([import('./openapi-validator.ts'), answer]).then(([{ violationsOf }, received]) => {
      if (received === undefined) return;
      openApiTally.checked++;
      const problems = violationsOf(route, received);
      if (problems.length === 0) return;
      openApiTally.violated++;
      violations.push(`${request} → ${received.status}: ${problems.join('; ')}`);
    }),
  );
}

/** The violations since the last call, once every answer handed over has been checked. */
export async function takeViolations(): Promise<string[]> {
  while (pending.length > 0) {
    const checks = pending;
    pending = [];
    await Promise.all(checks);
  }
  const taken = violations;
  violations = [];
  return taken;
}

/** Headers as the validator reads them: names in lower case. */
export const lowerCaseHeaders = (headers: Iterable<[string, string]> | Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    (Symbol.iterator in headers ? [...(headers as Iterable<[string, string]>)] : Object.entries(headers))
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
