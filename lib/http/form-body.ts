import { BadRequestError } from '#lib/domain/errors.ts';
import { MAX_FORM_FIELDS } from '#lib/domain/limits.ts';
import { nestedParams, type ParamHash, type ParamValue } from './nested-params.ts';

type Pair = readonly [name: string, value: string | null];

const NOT_UTF8 = 'the body is not valid UTF-8';
const TOO_MANY_FIELDS = `the form must have at most ${MAX_FORM_FIELDS} fields`;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const LONE_SURROGATE = /\p{Cs}/u;
const BAD_PERCENT_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/** One name or value of a urlencoded body, decoded as Rack does (`+` is a space); 400 unless it is UTF-8. */
function decodeComponent(text: string): string {
  if (!text.includes('%')) return text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (BAD_PERCENT_ESCAPE.test(text)) {
    throw new BadRequestError(`the body has an invalid %-escape in ${JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text)}`);
  }
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    throw new BadRequestError(NOT_UTF8);
  }
}

/** The pairs of an application/x-www-form-urlencoded body, split as Rack splits them: at `&`, and spaces after it skipped. */
function urlencodedPairs(text: string): Pair[] {
  if (LONE_SURROGATE.test(text)) throw new BadRequestError(NOT_UTF8);
  const pairs: Pair[] = [];
  let start = 0;
  while (start <= text.length) {
    const ampersand = text.indexOf('&', start);
    const end = ampersand === -1 ? text.length : ampersand;
    const piece = text.slice(start, end);
    for (start = end + 1; text.charCodeAt(start) === 0x20; start++);
    if (piece === '') continue;
    if (pairs.length === MAX_FORM_FIELDS) throw new BadRequestError(TOO_MANY_FIELDS);
    const equals = piece.indexOf('=');
    // A name without `=` has no value at all (nil in Rails), not an empty one.
    pairs.push(equals === -1 ? [decodeComponent(piece), null] : [decodeComponent(piece.slice(0, equals)), decodeComponent(piece.slice(equals + 1))]);
  }
  return pairs;
}

/**
 * The fields of a multipart/form-data body, parsed by the runtime's own parser (undici's, behind
 * `Response.formData()`): no dependency, nothing added to the bundle. A part with a file name is a
 * file, which no parameter of this API takes: 400. A part with an empty file name is what a browser
 * sends for a file input left empty, and is skipped, as Rack does.
 */
async function multipartPairs(bytes: Buffer, contentType: string): Promise<Pair[]> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new BadRequestError('the body is not valid multipart/form-data');
  }
  const pairs: Pair[] = [];
  for (const [name, value] of form) {
    if (pairs.length === MAX_FORM_FIELDS) throw new BadRequestError(TOO_MANY_FIELDS);
    if (typeof value === 'string') pairs.push([name, value]);
    else if (value.name !== '') throw new BadRequestError(`the form field ${JSON.stringify(name)} is a file; this API takes only plain fields`);
  }
  // The parser reads any bytes it cannot decode as U+FFFD; with files refused, every byte is text, so
  // the whole body must be UTF-8.
  try {
    utf8.decode(bytes);
  } catch {
    throw new BadRequestError(NOT_UTF8);
  }
  return pairs;
}

const INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * Rails builds `quiz_submission_events[0][event_type]=…&quiz_submission_events[1][…]` as a hash keyed
 * "0", "1", …; the events are a list, so such a hash becomes one, in index order. The indices must run
 * from 0 without a gap, so that an error naming `quiz_submission_events[3]` names the event sent as [3].
 * Only the list of events is read this way: a hash in `event_data` stays a hash, as Canvas stores it
 * (question ids make natural keys there).
 */
function eventsAsList(events: ParamValue): ParamValue {
  if (typeof events !== 'object' || events === null || Array.isArray(events)) return events;
  const keys = Object.keys(events);
  if (!keys.every((key) => INDEX.test(key) && Number(key) < keys.length)) {
    throw new BadRequestError(
      'quiz_submission_events must be a list: send its events as quiz_submission_events[][…], or number them quiz_submission_events[0][…], [1], … from 0 without gaps',
      'quiz_submission_events',
    );
  }
  return keys.map((_, index) => events[String(index)]!);
}

function formBody(pairs: Pair[]): ParamHash {
  const params = nestedParams(pairs);
  if (Object.hasOwn(params, 'quiz_submission_events')) params.quiz_submission_events = eventsAsList(params.quiz_submission_events!);
  return params;
}

/** An application/x-www-form-urlencoded body as the plain value the body schema reads: Rails' nested parameters, string values. */
export const readUrlencodedBody = (text: string): ParamHash => formBody(urlencodedPairs(text));

/** A multipart/form-data body (plain fields only) as the plain value the body schema reads. */
export const readMultipartBody = async (bytes: Buffer, contentType: string): Promise<ParamHash> =>
  formBody(await multipartPairs(bytes, contentType));
