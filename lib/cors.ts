import { commaList } from './comma-list.ts';
import { ROUTE_METHODS } from './routes.ts';

/**
 * The HTTP API's CORS configuration apart from its origins: the stack configures the gateway with it
 * and the local server answers as the gateway does with it. No credentials: tokens travel in a header.
 */
export const CORS_ALLOW_METHODS: readonly string[] = ROUTE_METHODS;
export const CORS_ALLOW_HEADERS: readonly string[] = ['authorization', 'content-type'];
/** Readable by browser scripts: the pages of a GET, and how long to wait after a 503. */
export const CORS_EXPOSE_HEADERS: readonly string[] = ['link', 'retry-after'];
export const CORS_MAX_AGE_SECONDS = 7200;

/**
 * Allowed origins from a comma-separated list ("https://a.example, http://localhost:5173"); empty or
 * absent means none, i.e. no CORS at all. Each must be one origin, scheme://host[:port] (a trailing
 * slash is dropped): a wildcard would let any site call the API with a stolen token, so `*` is refused
 * and no response ever allows every origin.
 */
export function parseAllowedOrigins(list: string | undefined): string[] {
  return [...new Set(commaList(list ?? '').map(exactOrigin))];
}

/** One origin, scheme://host[:port] with an optional trailing slash, as its URL origin; throws otherwise. */
export function exactOrigin(value: string): string {
  const problem = `${JSON.stringify(value)} is not an origin like https://canvas.example.edu (no path, no wildcard)`;
  if (value.includes('*')) throw new Error(problem);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(problem);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.origin !== value.replace(/\/$/, '')) throw new Error(problem);
  return url.origin;
}
