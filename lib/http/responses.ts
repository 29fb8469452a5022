import type { HttpResult } from './types.ts';

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export const jsonResponse = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': JSON_CONTENT_TYPE, ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

export const noContent = (): HttpResult => ({ statusCode: 204 });
