import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintLocalToken } from '#lib/auth/local-token.ts';
import { loadLocalAuthorize } from '#local/local-authorizer.ts';
import { type Authorize, startLocalServer } from '#local/server.ts';
import { buildSite } from '../../web/build.ts';
import { LOCAL_SITE_CONFIG, type SiteConfig } from '../../web/src/site-config.ts';
import { postQuizLogSeed, QUIZ_LOG_SEED, type QuizLogSeed, studentOf } from './quiz-log-seed.ts';

/**
 * What `npm start` runs, for the quiz log page's browser tests: the local server with the built site
 * at `/` and the API beside it, over a fresh embedded store in a temporary DATA_DIR, holding the seed
 * as each student's quiz client posted it.
 */
export interface QuizLogServer {
  url: string;
  /** The DATA_DIR: its key signs the local tokens the server accepts. */
  dataDir: string;
  /** The built site the server serves (its config.json may be rewritten). */
  siteDir: string;
  seed: QuizLogSeed;
  close(): Promise<void>;
}

export interface QuizLogServerOptions {
  /** The site's config.json; the local one (token in the link) by default. */
  siteConfig?: SiteConfig;
  /** How the server checks tokens; by default the local authorizer over the DATA_DIR's key, as `npm start`. */
  authorize?: Authorize;
  /** A write token for a student, which that authorizer accepts; by default a local token. */
  writeToken?: (student: string, course: string) => Promise<string>;
  seed?: QuizLogSeed;
}

export async function startQuizLogServer(options: QuizLogServerOptions = {}): Promise<QuizLogServer> {
  const { siteConfig = LOCAL_SITE_CONFIG, seed = QUIZ_LOG_SEED } = options;
  const [dataDir, siteDir] = await Promise.all([mkdtemp(join(tmpdir(), 'quiz-log-data-')), mkdtemp(join(tmpdir(), 'quiz-log-site-'))]);
  buildSite(siteDir, { config: siteConfig });
  const authorize = options.authorize ?? (await loadLocalAuthorize(dataDir));
  const writeToken = options.writeToken ?? ((student, course) => localToken(dataDir, { sub: student, scopes: ['write'], courseIds: [course] }));
  const server = await startLocalServer({ port: 0, dataDir, authorize, siteDir });
  const close = async () => {
    await server.close();
    await Promise.all([rm(dataDir, { recursive: true, force: true }), rm(siteDir, { recursive: true, force: true })]);
  };
  try {
    await postQuizLogSeed(server.url, async (submission) => ({ authorization: `Bearer ${await writeToken(studentOf(submission), seed.course)}` }), seed);
  } catch (error) {
    await close();
    throw error;
  }
  return { url: server.url, dataDir, siteDir, seed, close };
}

/** A token the local server started on `dataDir` accepts, for an hour. */
export const localToken = (dataDir: string, { sub, scopes, courseIds }: { sub: string; scopes: ('read' | 'write')[]; courseIds: string[] }) =>
  mintLocalToken({ dataDir, sub, scopes, courseIds, ttlSeconds: 3600 });
