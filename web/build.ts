import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { SITE_DIST_DIR } from './serve.ts';
import { LOCAL_SITE_CONFIG, type SiteConfig } from './src/site-config.ts';

const WEB_DIR = fileURLToPath(new URL('.', import.meta.url));

export interface SiteBuild {
  /** Each output file (relative to the output folder) with its size and gzip size in bytes; the gzip size is computed only when read. */
  files: { path: string; bytes: number; readonly gzipBytes: number }[];
}

/**
 * Builds the static site into `outDir`: index.html, one hashed script and stylesheet, the lazily loaded
 * sign-in chunk, and config.json when `config` is given (the stack writes its own instead).
 * Synchronous, so the stack can call it from CDK's local bundling.
 */
export function buildSite(outDir: string, { config }: { config?: SiteConfig } = {}): SiteBuild {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = buildSync({
    entryPoints: { main: join(WEB_DIR, 'src/main.ts'), styles: join(WEB_DIR, 'styles.css') },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    // The OIDC library lands in its own chunk, loaded only by a deployed page.
    splitting: true,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    target: ['chrome111', 'edge111', 'firefox115', 'safari16'],
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((path) => relative(outDir, path));
  const named = (prefix: string, extension: string) => outputs.find((path) => basename(path).startsWith(prefix) && path.endsWith(extension) && !path.includes('/'))!;
  const html = readFileSync(join(WEB_DIR, 'index.html'), 'utf8').replace('./main.js', `./${named('main-', '.js')}`).replace('./styles.css', `./${named('styles-', '.css')}`);
  writeFileSync(join(outDir, 'index.html'), html);
  const written = [...outputs, 'index.html'];
  if (config) {
    writeFileSync(join(outDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
    written.push('config.json');
  }
  return {
    files: written.sort().map((path) => {
      const content = readFileSync(join(outDir, path));
      return {
        path,
        bytes: content.length,
        // Only the size printout and the site test read it: CDK bundling and the test servers skip the level-9 gzip.
        get gzipBytes() {
          return gzipSync(content, { level: 9 }).length;
        },
      };
    }),
  };
}

// `npm run build:web`: the local site, with the local sign-in; `--quiet` (before `npm start`) prints nothing.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { files } = buildSite(SITE_DIST_DIR, { config: LOCAL_SITE_CONFIG });
  if (process.argv.includes('--quiet')) process.exit(0);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  for (const file of files) console.log(`${file.path.padEnd(40)} ${kb(file.bytes).padStart(9)}  gzip ${kb(file.gzipBytes).padStart(8)}`);
  console.log(`Built ${relative(process.cwd(), SITE_DIST_DIR) || '.'}`);
}
