import { localToken, startQuizLogServer } from '../support/quiz-log-server.ts';
import { describeQuizLogPage } from './quiz-log-page-suite.ts';

describeQuizLogPage('the quiz log page, against the local server', async () => {
  const server = await startQuizLogServer();
  const [readToken, otherCourseToken] = await Promise.all([
    localToken(server.dataDir, { sub: 'teacher-1', scopes: ['read'], courseIds: [server.seed.course] }),
    localToken(server.dataDir, { sub: 'teacher-2', scopes: ['read'], courseIds: ['77'] }),
  ]);
  return { baseUrl: server.url, readToken, otherCourseToken, seed: server.seed, close: server.close };
});
