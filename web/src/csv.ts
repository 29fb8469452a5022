/** RFC 4180: fields quoted when they hold a quote, comma or line break; CRLF between records. */
export function toCsv(records: readonly (readonly string[])[]): string {
  return records.map((record) => record.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** One field: quoted when it holds a quote, comma, CR or LF, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
