/**
 * Canvas's pagination header: `<URL>; rel="current",<URL>; rel="next",<URL>; rel="first"`. URLs may
 * hold commas (`event_types=a,b`), so links are split at their angle brackets, not at commas.
 * Relative URLs are resolved against the page's own URL. Returns rel → absolute URL (the first of each rel).
 */
export function parseLinkHeader(header: string | null | undefined, pageUrl: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const [, target, params] of (header ?? '').matchAll(/<([^>]*)>([^<]*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))/i.exec(params!);
    if (!rel) continue;
    let url: string;
    try {
      url = new URL(target!, pageUrl).href;
    } catch {
      continue;
    }
    for (const name of (rel[1] ?? rel[2]!).trim().toLowerCase().split(/\s+/)) {
      if (name !== '' && !links.has(name)) links.set(name, url);
    }
  }
  return links;
}
