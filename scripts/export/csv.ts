import { csvField } from '../../web/src/csv.ts';

/** The page's CSV field (RFC 4180), one implementation for both. */
export { csvField };

/** RFC 4180: fields quoted as csvField quotes them; records end in CRLF. */
export const csvRecord = (fields: readonly string[]): string => `${fields.map(csvField).join(',')}\r\n`;

/**
 * A spreadsheet runs a cell starting with = + - @ (or a tab or CR before them) as a formula, and the
 * texts here come from students' browsers. With --spreadsheet-safe such a text cell gets a leading
 * apostrophe, which spreadsheets hide; the file then no longer round-trips exactly.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export const spreadsheetSafe = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);
