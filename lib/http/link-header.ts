import type { HttpEvent } from './types.ts';

/** Query parameters that never go into pagination links (access_token, in any case, so that links can be shared and logged). */
const NOT_IN_LINKS = ['page', 'per_page'];
const CREDENTIAL = 'access_token';

export interface PageLinks {
  perPage: number;
  /** The page parameter of this page; absent: '1', the first. */
  current?: string | undefined;
  next?: string | undefined;
}

/**
 * Canvas's Link header: absolute URLs, the request's other query parameters sorted by name, then
 * page and per_page; rels current, next (only when more remain) and first.
 */
export function linkHeader(event: HttpEvent, { perPage, current = '1', next }: PageLinks): string {
  const kept = new URLSearchParams(
    [...new URLSearchParams(event.rawQueryString)].filter(([name]) => !NOT_IN_LINKS.includes(name) && name.toLowerCase() !== CREDENTIAL),
  );
  kept.sort();
  const scheme = event.headers['x-forwarded-proto'] ?? 'https';
  const base = `${scheme}://${event.requestContext.domainName}${event.rawPath}?${kept.size > 0 ? `${kept}&` : ''}`;
  const link = (page: string, rel: string) => `<${base}page=${page}&per_page=${perPage}>; rel="${rel}"`;
  return [link(current, 'current'), ...(next ? [link(next, 'next')] : []), link('1', 'first')].join(',');
}
