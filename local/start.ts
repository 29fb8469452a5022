import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_KEY_FILE_NAME, LocalKeyFileError } from '#lib/auth/local-keys.ts';
import { SITE_DIST_DIR } from '../web/serve.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { StoreOpenError } from './embedded-store.ts';
import { loadLocalAuthorize } from './local-authorizer.ts';
import { LocalSettingsError, loadLocalSettings } from './local-settings.ts';
import { mintForLocalServer } from './local-tokens.ts';
import { whenParentGone } from './parent-watch.ts';
import { refusalLine } from './refusal-line.ts';
import { startLocalServer } from './server.ts';
import { fileFailure, listenFailure, StartExitCode, StartFailure, storeFailure } from './start-failure.ts';

/**
 * `npm start`: the API on the embedded store, persisted under DATA_DIR, behind the local JWT authorizer.
 * A start-up failure it can explain is one line on stderr and an exit code (local/start-failure.ts).
 */
// Lambda runs Node 24; the SDK's notice about Node 20 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The store's files and the signing key hold students' records and the key to every token: owner only.
process.umask(0o077);

/** Runs one step of the start, its failures explained by `explain` when it can. */
async function step<T>(run: () => T | Promise<T>, explain: (error: unknown) => StartFailure | undefined): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const failure = explain(error);
    if (!failure) throw error;
    console.error(failure.message);
    process.exit(failure.exitCode);
  }
}

const settings = await step(loadLocalSettings, (error) =>
  error instanceof LocalSettingsError ? new StartFailure(`Cannot start: ${error.problems.join('; ')}`, StartExitCode.setting) : undefined,
);
const { port, host, dataDir, scopeOverrides, allowedOrigins, publicUrl, courseClaim, submissionClaim } = settings;

const lock = await step(() => lockDataDir(dataDir), (error) => (error instanceof StartFailure ? error : undefined));
process.on('exit', lock.release);

const authorize = await step(
  () => loadLocalAuthorize(dataDir, { scopeOverrides }),
  (error) =>
    error instanceof LocalKeyFileError
      ? new StartFailure(`Cannot start: ${error.message} (tokens it signed are then refused)`, StartExitCode.dataDir)
      : fileFailure(error, join(dataDir, LOCAL_KEY_FILE_NAME)),
);
const siteBuilt = existsSync(join(SITE_DIST_DIR, 'index.html'));
const server = await step(
  () =>
    startLocalServer({
      ...{ port, host, dataDir, authorize, allowedOrigins, publicUrl, courseClaim, submissionClaim },
      siteDir: siteBuilt ? SITE_DIST_DIR : undefined,
      // Why each request was refused, which the client is not told (as by the gateway): here, for its developer.
      onRefusal: (refusal) => console.error(refusalLine(refusal, settings)),
    }),
  (error) => (error instanceof StoreOpenError ? storeFailure(error) : listenFailure(error, { host, port })),
);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
whenParentGone(stop);

await lock.recordUrl(server.url);
console.log(`Listening on ${server.url}`);
console.log(`OpenAPI document (no token needed): ${server.url}/openapi.json`);

/** The curl line's submission: beyond `npm run demo`'s class (submissions 1–12), which this subject would otherwise own first. */
const TRY_SUBMISSION = '100';
const mint = (scopes: ('read' | 'write')[]) =>
  mintForLocalServer(settings, { sub: 'local-user', scopes, courseIds: ['1'], submissionIds: [TRY_SUBMISSION], ttlSeconds: 3600 });
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
  `curl -i -X POST ${server.url}/api/v1/courses/1/quizzes/1/submissions/${TRY_SUBMISSION}/events -H 'Authorization: Bearer ${token}' -H 'Content-Type: application/json' -d '${batch}'`,
);

