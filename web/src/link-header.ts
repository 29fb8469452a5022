/** The URL of one rel in a Canvas-style Link header (`<url>; rel="next",<url>; rel="first"`), if present. */
export function linkWithRel(header: string | null, rel: string): string | undefined {
  if (!header) return undefined;
  for (const match of header.matchAll(/<([^>]*)>\s*;\s*rel="([^"]*)"/g)) {
    if (match[2]!.split(/\s+/).includes(rel)) return match[1];
  }
  return undefined;
}
