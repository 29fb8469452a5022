import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mintLocalToken } from '#lib/auth/local-token.ts';
import { SITE_DIST_DIR } from '../web/serve.ts';
import { loadLocalAuthorize } from './local-authorizer.ts';
import { loadLocalSettings } from './local-settings.ts';
import { startLocalServer } from './server.ts';

/** `npm start`: the API on the embedded store, persisted under DATA_DIR, behind the local JWT authorizer. */
// Lambda runs Node 24; the SDK's notice about Node 20 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The store's files and the signing key hold students' records and the key to every token: owner only.
process.umask(0o077);
const settings = loadLocalSettings();
const { port, host, dataDir, scopeOverrides, allowedOrigins, publicUrl, courseClaim, submissionClaim } = settings;

const authorize = await loadLocalAuthorize(dataDir, {
  scopeOverrides,
  onDenial: (route, reason) => console.error(`${route} refused by the local JWT authorizer: ${reason}`),
});
const siteBuilt = existsSync(join(SITE_DIST_DIR, 'index.html'));
const server = await startLocalServer({ port, host, dataDir, authorize, allowedOrigins, publicUrl, courseClaim, submissionClaim, siteDir: siteBuilt ? SITE_DIST_DIR : undefined });
console.log(`Listening on ${server.url}`);
console.log(`OpenAPI document (no token needed): ${server.url}/openapi.json`);

const mint = (scopes: ('read' | 'write')[]) => mintLocalToken({ dataDir, sub: 'local-user', scopes, courseIds: ['1'], ttlSeconds: 3600, scopeOverrides, courseClaim });
const [token, readToken] = await Promise.all([mint(['read', 'write']), mint(['read'])]);
// The token travels in the fragment, which the browser never sends: the page keeps it in the tab.
console.log(
  siteBuilt
    ? `Quiz log (course 1, quiz 1, signed in as a reader for 1h): ${server.url}/?course=1&quiz=1#access_token=${readToken}`
    : 'Quiz log: not built; run npm run build:web (npm start builds it first), then start again',
);
const batch = JSON.stringify({
  quiz_submission_events: [{ client_timestamp: '2014-10-08T19:29:58.123Z', event_type: 'page_focused', event_data: null }],
});
console.log("Get a token: npm run token -- --sub student-1 --scopes read,write --course-ids 1");
console.log('Try it (as local-user in course 1, token valid for 1h):');
console.log(
  `curl -i -X POST ${server.url}/api/v1/courses/1/quizzes/1/submissions/1/events -H 'Authorization: Bearer ${token}' -H 'Content-Type: application/json' -d '${batch}'`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
