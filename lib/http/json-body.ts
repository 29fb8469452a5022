import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '#lib/domain/errors.ts';
import { parseJson } from '#lib/domain/json-text.ts';
import { MAX_BODY_BYTES } from '#lib/domain/limits.ts';
import type { HttpEvent } from './types.ts';

const isJsonMediaType = (contentType: string): boolean => {
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[\w.+-]+\+json$/.test(mediaType);
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The request body as a JSON value: 415 unless it is declared JSON, 413 past the size limit, 400 unless valid JSON. */
export function readJsonBody(event: HttpEvent): unknown {
  const contentType = event.headers['content-type'];
  if (contentType !== undefined && !isJsonMediaType(contentType)) {
    throw new UnsupportedMediaTypeError('Content-Type must be application/json');
  }
  const raw = event.body ?? '';
  const size = Buffer.byteLength(raw, event.isBase64Encoded ? 'base64' : 'utf8');
  if (size > MAX_BODY_BYTES) throw new PayloadTooLargeError(`the body must be at most ${MAX_BODY_BYTES} bytes`);
  let text = raw;
  if (event.isBase64Encoded) {
    try {
      text = utf8.decode(Buffer.from(raw, 'base64'));
    } catch {
      throw new BadRequestError('the body is not valid UTF-8');
    }
  }
  if (text.trim() === '') throw new BadRequestError('quiz_submission_events is missing', 'quiz_submission_events');
  try {
    return parseJson(text);
  } catch {
    throw new BadRequestError('the body is not valid JSON');
  }
}
