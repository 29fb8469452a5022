/** Batches as HTML forms and curl send them: Rails-style field names, urlencoded or multipart. */

/** An event whose values are all text, as a form can carry them. */
export interface FormEvent {
  event_type: string;
  client_timestamp?: string;
  event_data?: FormValue;
}
export type FormValue = string | string[] | { [key: string]: FormValue };

export type Field = readonly [name: string, value: string];

function valueFields(name: string, value: FormValue): Field[] {
  if (typeof value === 'string') return [[name, value]];
  if (Array.isArray(value)) return value.map((item) => [`${name}[]`, item] as const);
  return Object.entries(value).flatMap(([key, inner]) => valueFields(`${name}[${key}]`, inner));
}

/**
 * The fields of a batch in Rails' style, event after event: `quiz_submission_events[][event_type]=…`
 * (each event's first field starts a new one), or `quiz_submission_events[0][event_type]=…` when indexed.
 */
export function batchFields(events: FormEvent[], options: { indexed?: boolean; extra?: Record<string, string> } = {}): Field[] {
  const fields = events.flatMap((event, index) =>
    Object.entries(event).flatMap(([key, value]) => valueFields(`quiz_submission_events[${options.indexed ? index : ''}][${key}]`, value as FormValue)),
  );
  return [...fields, ...Object.entries(options.extra ?? {})];
}

/** An application/x-www-form-urlencoded body as a browser encodes it (brackets percent-encoded, spaces as +). */
export const urlencodedBody = (fields: readonly Field[]): string => new URLSearchParams(fields as [string, string][]).toString();

/** The boundary curl 7.88 chose for one `curl -F` request. */
export const CURL_BOUNDARY = '------------------------0199601aa49a8e97';

/** A multipart/form-data body byte for byte as `curl -F 'name=value' …` sends it, with its Content-Type. */
export function curlMultipartBody(fields: readonly Field[], boundary = CURL_BOUNDARY): { body: Buffer; contentType: string } {
  const parts = fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  return { body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** One multipart part written out in full, for parts curl -F would not send as plain fields (files, odd headers). */
export const multipartPart = (headers: string[], content: string, boundary = CURL_BOUNDARY): string =>
  `--${boundary}\r\n${headers.join('\r\n')}\r\n\r\n${content}\r\n`;
