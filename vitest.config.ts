import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every answer a test receives from a route is checked against docs/openapi.json.
    globalSetup: ['test/support/openapi-tally.ts'],
    setupFiles: ['test/support/openapi-setup.ts'],
    // The functions read these at import, as on Lambda; tests that need a store start their own.
    env: {
      TABLE_NAME: 'quiz-submission-events-test',
      AWS_REGION: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
