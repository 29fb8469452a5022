import { startLocalServer } from './server.ts';

/** `npm start`: the API on the embedded store, persisted under DATA_DIR. */
// Lambda runs Node 24; the SDK's notice about Node 20 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = process.env.DATA_DIR ?? '.data';

const server = await startLocalServer({
  port,
  host,
  dataDir,
  authorize: async () => ({ jwt: { claims: { sub: 'local-user' }, scopes: [] } }),
});
console.log(`Listening on ${server.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
