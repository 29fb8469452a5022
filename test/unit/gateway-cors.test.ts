import { describe, expect, it } from 'vitest';
import { CORS_EXPOSE_HEADERS } from '#lib/cors.ts';
import { createGatewayCors } from '#local/gateway-cors.ts';

const ORIGIN = 'https://canvas.example.test';

describe('the gateway\'s CORS behaviour', () => {
  it('is absent when no origin is allowed: the API then has no CORS configuration', () => {
    expect(createGatewayCors([])).toBeUndefined();
  });

  it('takes only OPTIONS with Origin and Access-Control-Request-Method for a preflight', () => {
    const cors = createGatewayCors([ORIGIN])!;
    expect(cors.preflight('OPTIONS', { origin: ORIGIN, 'access-control-request-method': 'GET' })).toMatchObject({ statusCode: 204 });
    expect(cors.preflight('OPTIONS', { origin: ORIGIN })).toBeUndefined();
    expect(cors.preflight('OPTIONS', { 'access-control-request-method': 'GET' })).toBeUndefined();
    expect(cors.preflight('GET', { origin: ORIGIN, 'access-control-request-method': 'GET' })).toBeUndefined();
  });

  it('replaces whatever CORS headers the integration sent with its own', () => {
    const cors = createGatewayCors([ORIGIN])!;
    const result = { statusCode: 200, headers: { 'Access-Control-Allow-Origin': '*', 'access-control-allow-credentials': 'true', link: '<x>' } };
    expect(cors.decorate(result, ORIGIN).headers).toEqual({
      link: '<x>',
      'access-control-allow-origin': ORIGIN,
      'access-control-expose-headers': CORS_EXPOSE_HEADERS.join(','),
    });
    expect(cors.decorate(result, 'https://elsewhere.example.test').headers).toEqual({ link: '<x>' });
  });
});
