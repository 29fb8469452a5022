import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpEvent, HttpResult } from '#lib/http/types.ts';
import { toHttpApiEvent, writeHttpApiResult } from '#local/http-api-event.ts';

/** A bare server that records the payload-format-2.0 event built for each request and answers with `reply`. */
let server: Server;
let base: string;
let lastEvent: HttpEvent;
let reply: HttpResult = { statusCode: 204 };

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    lastEvent = toHttpApiEvent(request, Buffer.concat(chunks), { routeKey: 'POST /r/{id}', pathParameters: { id: 'x' } }, {
      claims: { sub: 'u' },
      scopes: ['s'],
    }, new URL('https://events.example.edu'));
    writeHttpApiResult(response, reply);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('payload format 2.0 events built by the local server', () => {
  it('carries the raw path and query, decoded parameters with repeats joined by commas, and lower-cased headers', async () => {
    await fetch(`${base}/r/x?b=2&a=1&b=3&s=x%20y`, { method: 'POST', headers: { 'X-Custom': 'v', 'content-type': 'application/json' }, body: '{}' });
    expect(lastEvent).toMatchObject({
      version: '2.0',
      routeKey: 'POST /r/{id}',
      rawPath: '/r/x',
      rawQueryString: 'b=2&a=1&b=3&s=x%20y',
      queryStringParameters: { a: '1', b: '2,3', s: 'x y' },
      pathParameters: { id: 'x' },
      body: '{}',
      isBase64Encoded: false,
    });
    expect(lastEvent.headers['x-custom']).toBe('v');
    expect(lastEvent.headers).toMatchObject({ host: 'events.example.edu', 'x-forwarded-proto': 'https' });
    expect(lastEvent.requestContext).toMatchObject({
      http: { method: 'POST', path: '/r/x', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
      routeKey: 'POST /r/{id}',
      stage: '$default',
      domainName: 'events.example.edu',
      authorizer: { jwt: { claims: { sub: 'u' }, scopes: ['s'] } },
    });
    expect(lastEvent.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(lastEvent.requestContext.timeEpoch).toBeGreaterThan(Date.parse('2026-01-01'));
    expect(lastEvent.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('moves cookies out of the headers into the cookies list', async () => {
    await fetch(`${base}/r/x`, { headers: { cookie: 'a=1; b=2' } });
    expect(lastEvent.cookies).toEqual(['a=1', 'b=2']);
    expect(lastEvent.headers.cookie).toBeUndefined();
    expect(lastEvent.queryStringParameters).toBeUndefined();
  });

  it('base64-encodes a binary body, and a declared-JSON body that is not UTF-8', async () => {
    await fetch(`${base}/r/x`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([1, 2, 255]) });
    expect(lastEvent).toMatchObject({ body: Buffer.from([1, 2, 255]).toString('base64'), isBase64Encoded: true });
    await fetch(`${base}/r/x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from([0x22, 0xff, 0x22]) });
    expect(lastEvent).toMatchObject({ body: Buffer.from([0x22, 0xff, 0x22]).toString('base64'), isBase64Encoded: true });
  });

  it('has no body for an empty request', async () => {
    await fetch(`${base}/r/x`);
    expect(lastEvent.body).toBeUndefined();
  });
});

describe('results written back', () => {
  it('writes status, headers, cookies as set-cookie, and decodes base64 bodies', async () => {
    reply = {
      statusCode: 201,
      headers: { 'x-answer': '42' },
      cookies: ['a=1; Path=/', 'b=2'],
      body: Buffer.from([0, 1, 2]).toString('base64'),
      isBase64Encoded: true,
    };
    const answer = await fetch(`${base}/r/x`);
    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-answer')).toBe('42');
    expect(answer.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2']);
    expect([...new Uint8Array(await answer.arrayBuffer())]).toEqual([0, 1, 2]);
  });
});
