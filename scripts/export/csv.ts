/** RFC 4180: a field holding a quote, comma, CR or LF is quoted, its quotes doubled; records end in CRLF. */
const NEEDS_QUOTES = /[",\r\n]/;

export const csvField = (text: string): string => (NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

export const csvRecord = (fields: readonly string[]): string => `${fields.map(csvField).join(',')}\r\n`;

/**
 * A spreadsheet runs a cell starting with = + - @ (or a tab or CR before them) as a formula, and the
 * texts here come from students' browsers. With --spreadsheet-safe such a text cell gets a leading
 * apostrophe, which spreadsheets hide; the file then no longer round-trips exactly.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export const spreadsheetSafe = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);
