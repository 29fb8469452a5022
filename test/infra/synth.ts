import { Template } from 'aws-cdk-lib/assertions';
import cdkJson from '../../cdk.json' with { type: 'json' };
import { createApp, type CreateAppOptions } from '../../infra/create-app.ts';

/** A complete deployment configuration, as an operator passes it with -c. */
export const DEPLOYMENT_CONTEXT = {
  issuer: 'https://idp.example.edu/realms/canvas',
  audience: 'quiz-submission-events',
  allowedOrigins: 'https://canvas.example.edu,https://quiz.example.edu',
  retentionDays: '400',
  alarmEmail: 'lms-ops@example.edu',
  throttleRate: '50',
  throttleBurst: '120',
  stage: 'test',
  siteOidcClientId: 'quiz-log-page',
} as const;

export interface SynthOptions extends Pick<CreateAppOptions, 'outdir' | 'validation' | 'environment'> {
  /** Bundle the functions with esbuild; off by default, since only the bundle test needs the code. */
  bundle?: boolean;
}

/**
 * The app as `cdk synth -c …` builds it: cdk.json's feature flags plus the given context, nothing from
 * the environment unless given, no cdk-nag unless asked.
 */
export function synth(context: Record<string, unknown> = DEPLOYMENT_CONTEXT, { bundle = false, validation = false, outdir, environment = {} }: SynthOptions = {}) {
  const { app, stack, config } = createApp({
    context: {
      ...cdkJson.context,
      ...context,
      'aws:cdk:enable-asset-metadata': true,
      ...(!bundle && { 'aws:cdk:bundling-stacks': [] }),
    },
    environment,
    validation,
    ...(outdir && { outdir }),
  });
  return { app, stack, config, template: Template.fromStack(stack) };
}

type Resources = Record<string, { Type: string; Properties: Record<string, any>; Metadata?: Record<string, any>; [key: string]: any }>;

/** The one resource of a type whose logical id starts with a prefix (ids are construct paths plus a hash). */
export function resource(template: Template, type: string, idPrefix: string) {
  const matches = Object.entries(template.findResources(type) as Resources).filter(([id]) => id.startsWith(idPrefix));
  if (matches.length !== 1) throw new Error(`expected one ${type} named ${idPrefix}…, found ${matches.map(([id]) => id).join(', ') || 'none'}`);
  const [id, definition] = matches[0]!;
  return { id, ...definition, Metadata: definition.Metadata ?? {} };
}
