import { readFileSync, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localSiteHeaders } from './security-headers.ts';

/** Where `npm run build:web` (and `npm start`, first) puts the local site, which the local server serves at `/`. */
export const SITE_DIST_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'dist');

/** The only files the site holds; anything else is not the site's to answer. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the built site (web/dist) for the local server: `/` is index.html, other GETs and HEADs name a
 * file inside `distDir`. Returns false, having written nothing, for anything else (another method, a
 * path outside the folder, a missing file), so the caller answers it as before.
 */
export function createSiteHandler(distDir: string): (request: IncomingMessage, response: ServerResponse) => boolean {
  const root = resolve(distDir);
  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const file = fileFor(root, request.url ?? '/');
    if (!file) return false;
    let body: Buffer;
    try {
      // A link inside the folder must not lead out of it either.
      if (!isInside(realpathSync(root), realpathSync(file)) || !statSync(file).isFile()) return false;
      body = readFileSync(file);
    } catch {
      return false;
    }
    response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)]!, 'content-length': body.length, ...localSiteHeaders() });
    response.end(request.method === 'HEAD' ? undefined : body);
    return true;
  };
}

function fileFor(root: string, url: string): string | undefined {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://site.invalid').pathname);
  } catch {
    return undefined;
  }
  if (pathname === '/') pathname = '/index.html';
  if (pathname.includes('\0') || pathname.includes('\\') || !CONTENT_TYPES[extname(pathname)]) return undefined;
  const file = resolve(root, `.${pathname}`);
  // resolve() has already collapsed any `..`: what is left must still be inside the folder.
  return isInside(root, file) ? file : undefined;
}

const isInside = (folder: string, file: string) => file.startsWith(folder + sep);
