import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadDeploymentConfig } from './config.ts';
import { EventsStack, stackName } from './events-stack.ts';

const VALIDATE_AGAINST_DEFAULT_RULES = '@aws-cdk/core:validateAgainstDefaultRules';

export interface CreateAppOptions extends AppProps {
  /** Where configuration falls back to when a context key is absent. */
  environment?: NodeJS.ProcessEnv;
  /** Run cdk-nag's AWS Solutions checks at synthesis. Off only in tests that synthesise many times. */
  validation?: boolean;
}

/** The CDK app: the configured stack, checked by cdk-nag unless validation is turned off. */
export function createApp({ environment = process.env, validation = true, ...appProps }: CreateAppOptions = {}) {
  const app = new App({
    ...appProps,
    // CDK's own default rules (today only GameLift's) take ~3 s to load: skipped along with cdk-nag.
    ...(!validation && { postCliContext: { ...appProps.postCliContext, [VALIDATE_AGAINST_DEFAULT_RULES]: false } }),
  });
  const config = loadDeploymentConfig((key) => app.node.tryGetContext(key), environment);
  const stack = new EventsStack(app, stackName(config.stage), {
    config,
    tags: { service: 'quiz-submission-events', stage: config.stage },
  });
  if (validation) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, config };
}
