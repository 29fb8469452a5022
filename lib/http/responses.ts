import type { HttpResult } from './types.ts';

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * On every answer of the functions, errors included: event data is a student's record, so no cache
 * (browser or proxy) may keep it, and no browser may guess another content type than the one declared.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

export const jsonResponse = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': JSON_CONTENT_TYPE, ...SECURITY_HEADERS, ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

export const noContent = (): HttpResult => ({ statusCode: 204, headers: { ...SECURITY_HEADERS } });
