import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../web/build.ts';
import { createSiteHandler } from '../../web/serve.ts';
import { LOCAL_SITE_CONFIG } from '../../web/src/site-config.ts';
import { notTheApi } from '../support/openapi-answers.ts';

const work = mkdtempSync(join(tmpdir(), 'quiz-log-site-test-'));
const siteDir = join(work, 'dist');
const build = buildSite(siteDir, { config: LOCAL_SITE_CONFIG });
let server: Server;
let base: string;

beforeAll(async () => {
  writeFileSync(join(work, 'secret.json'), '{"secret":true}');
  symlinkSync(join(work, 'secret.json'), join(siteDir, 'linked.txt'));
  const serveSite = createSiteHandler(siteDir);
  // As the local server mounts it: the site first, then whatever it does not answer.
  server = createServer((request, response) => {
    if (serveSite(request, response)) return;
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  notTheApi(base);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

/** A request line sent as is: fetch would normalise `..` away before it leaves. */
function rawGet(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(base).port), '127.0.0.1', () => socket.end(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('the built site', () => {
  it('is index.html, one hashed script and stylesheet, the sign-in chunk and the local config.json', () => {
    const paths = build.files.map((file) => file.path);
    expect(paths).toEqual(expect.arrayContaining(['index.html', 'config.json']));
    expect(paths.filter((path) => /^main-[A-Z0-9]+\.js$/.test(path))).toHaveLength(1);
    expect(paths.filter((path) => /^styles-[A-Z0-9]+\.css$/.test(path))).toHaveLength(1);
    expect(paths.filter((path) => /^chunks\/oidc-sign-in-[A-Z0-9]+\.js$/.test(path))).toHaveLength(1);
    const html = readFileSync(join(siteDir, 'index.html'), 'utf8');
    expect(html).toMatch(/<script type="module" src="\.\/main-[A-Z0-9]+\.js"><\/script>/);
    expect(html).toMatch(/<link rel="stylesheet" href="\.\/styles-[A-Z0-9]+\.css">/);
    expect(JSON.parse(readFileSync(join(siteDir, 'config.json'), 'utf8'))).toEqual(LOCAL_SITE_CONFIG);
  });

  it('keeps the OIDC library out of what the local page loads, and stays small', () => {
    const file = (pattern: RegExp) => build.files.find((candidate) => pattern.test(candidate.path))!;
    const main = file(/^main-/);
    expect(readFileSync(join(siteDir, main.path), 'utf8')).not.toContain('signinRedirect');
    expect(readFileSync(join(siteDir, file(/^chunks\/oidc-sign-in-/).path), 'utf8')).toContain('signinRedirect');
    // The README states the measured sizes; these budgets keep them honest.
    expect(main.gzipBytes).toBeLessThan(14 * 1024);
    expect(file(/^styles-/).gzipBytes).toBeLessThan(4 * 1024);
  });
});

describe('the site handler', () => {
  it('serves index.html at / with the security headers, whatever the view in the query', async () => {
    const response = await fetch(`${base}/?course=1&quiz=2`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await response.text()).toContain('<main id="main"');
  });

  it('serves each built file with its content type', async () => {
    for (const { path } of build.files) {
      const response = await fetch(`${base}/${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toMatch(/^(text\/html|text\/javascript|text\/css|application\/json); charset=utf-8$/);
    }
  });

  it('answers HEAD without a body', async () => {
    const response = await fetch(`${base}/config.json`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it.each([
    ['/../secret.json'],
    ['/%2e%2e/secret.json'],
    ['/chunks/..%2f..%2fsecret.json'],
    ['/..%5csecret.json'],
    ['/index.html%00.js'],
    ['/%E0%A4%A'],
    ['/linked.txt'],
  ])('leaves %s to the server behind it: nothing outside the folder is served', async (path) => {
    const answer = await rawGet(path);
    expect(answer).not.toContain('"secret"');
    expect(answer).toMatch(/^HTTP\/1\.1 (404|400)/);
  });

  it('leaves other methods, unknown files, folders and API paths to the server behind it', async () => {
    for (const [method, path] of [['POST', '/'], ['GET', '/missing.js'], ['GET', '/chunks'], ['GET', '/api/v1/courses/1/quizzes/2/submission_events']]) {
      const response = await fetch(`${base}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await response.text()).toBe('{"message":"Not Found"}');
    }
  });
});
