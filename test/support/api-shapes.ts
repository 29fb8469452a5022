/**
 * What the API answers, for assertions. Free of imports on purpose: a test of the local server must
 * not import the function modules before the server sets their environment.
 */
export interface ReturnedEvent {
  id: string;
  event_type: string;
  event_data: unknown;
  created_at: string;
  client_timestamp: string | null;
  received_at: string;
  attempt: number;
}

/** Parses a Link header into { rel: url }. */
export function parseLinks(header: string | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  for (const match of (header ?? '').matchAll(/<([^>]+)>; rel="(\w+)"/g)) links[match[2]!] = match[1]!;
  return links;
}

