import { createApp } from './create-app.ts';
import { ConfigurationError } from './config.ts';

/** The app cdk.json runs. CDK_VALIDATION=false skips cdk-nag (the tests do that for speed). */
try {
  const { app } = createApp({ validation: process.env.CDK_VALIDATION !== 'false' });
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(error.message);
  process.exit(1);
}
