import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '#lib/domain/errors.ts';
import { parseJson } from '#lib/domain/json-text.ts';
import { MAX_BODY_BYTES } from '#lib/domain/limits.ts';
import { readMultipartBody, readUrlencodedBody } from './form-body.ts';
import type { HttpEvent } from './types.ts';

const URLENCODED = 'application/x-www-form-urlencoded';
const MULTIPART = 'multipart/form-data';

const isJsonMediaType = (mediaType: string): boolean =>
  mediaType === 'application/json' || /^application\/[\w.+-]+\+json$/.test(mediaType);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The request body as the plain value the body schema reads, by its media type: JSON, or a form
 * (urlencoded or multipart) read as Rails reads it, every value a string. A body without a
 * Content-Type is JSON. 415 for any other media type, 413 past the size limit, 400 unless the body
 * is well-formed.
 */
export async function readRequestBody(event: HttpEvent): Promise<unknown> {
  const contentType = event.headers['content-type'];
  const mediaType = contentType === undefined ? 'application/json' : contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (!isJsonMediaType(mediaType) && mediaType !== URLENCODED && mediaType !== MULTIPART) {
    throw new UnsupportedMediaTypeError(`Content-Type must be application/json, ${URLENCODED} or ${MULTIPART}`);
  }
  const raw = event.body ?? '';
  const size = Buffer.byteLength(raw, event.isBase64Encoded ? 'base64' : 'utf8');
  if (size > MAX_BODY_BYTES) throw new PayloadTooLargeError(`the body must be at most ${MAX_BODY_BYTES} bytes`);
  if (mediaType === MULTIPART) {
    return readMultipartBody(Buffer.from(raw, event.isBase64Encoded ? 'base64' : 'utf8'), contentType!);
  }
  let text = raw;
  if (event.isBase64Encoded) {
    try {
      text = utf8.decode(Buffer.from(raw, 'base64'));
    } catch {
      throw new BadRequestError('the body is not valid UTF-8');
    }
  }
  if (mediaType === URLENCODED) return readUrlencodedBody(text);
  if (text.trim() === '') throw new BadRequestError('quiz_submission_events is missing', 'quiz_submission_events');
  try {
    return parseJson(text);
  } catch {
    throw new BadRequestError('the body is not valid JSON');
  }
}
