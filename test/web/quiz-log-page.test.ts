import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_SITE_CONFIG } from '../../web/src/site-config.ts';
import { buildSite } from '../../web/build.ts';
import { startQuizLogApi } from '../support/quiz-log-api.ts';
import { QUIZ_LOG_SEED } from '../support/quiz-log-seed.ts';
import { describeQuizLogPage } from './quiz-log-page-suite.ts';

describeQuizLogPage('the quiz log page, against the test API server', async () => {
  const siteDir = mkdtempSync(join(tmpdir(), 'quiz-log-site-'));
  buildSite(siteDir, { config: LOCAL_SITE_CONFIG });
  const api = await startQuizLogApi({ siteDir, seed: QUIZ_LOG_SEED });
  return {
    baseUrl: api.url,
    readToken: api.readToken,
    otherCourseToken: api.otherCourseToken,
    seed: QUIZ_LOG_SEED,
    failNextApiRequest: api.failNextApiRequest,
    close: async () => {
      await api.close();
      rmSync(siteDir, { recursive: true, force: true });
    },
  };
});
