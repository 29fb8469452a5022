/**
 * Canvas's pagination header: `<URL>; rel="current",<URL>; rel="next",<URL>; rel="first"`. URLs may
 * hold commas (`event_types=a,b`), so links are split at their angle brackets, not at commas.
 * Relative URLs are resolved against the page's own URL when it is given, and kept as written when
 * not. Returns rel → URL (the first of each rel).
 */
export function parseLinkHeader(header: string | null | undefined, pageUrl?: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const [, target, params] of (header ?? '').matchAll(/<([^>]*)>([^<]*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))/i.exec(params!);
    if (!rel) continue;
    let url = target!;
    if (pageUrl !== undefined) {
      try {
        url = new URL(url, pageUrl).href;
      } catch {
        continue;
      }
    }
    for (const name of (rel[1] ?? rel[2]!).trim().toLowerCase().split(/\s+/)) {
      if (name !== '' && !links.has(name)) links.set(name, url);
    }
  }
  return links;
}

/** The URL of one rel in a Canvas-style Link header (`<url>; rel="next",<url>; rel="first"`), if present. */
export function linkWithRel(header: string | null, rel: string): string | undefined {
  return parseLinkHeader(header).get(rel);
}
