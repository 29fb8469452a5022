/** The items of a comma-separated list ("a, b,,c" → ["a", "b", "c"]): each trimmed, empty ones dropped. */
export function commaList(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}
