import * as z from 'zod';
import { DEFAULT_COURSE_CLAIM } from '#lib/auth/list-claim.ts';
import { routeScopes, scopesOfAccess, validScopeOverride } from '#lib/auth/scopes.ts';
import { parseAllowedOrigins } from '#lib/cors.ts';
import type { RouteId, TableAccess } from '#lib/routes.ts';
import { transformOrIssue } from '#lib/transform-or-issue.ts';
import type { OidcSignIn } from '../web/src/site-config.ts';

/**
 * The deployment's configuration: one typed, validated object read once from CDK context
 * (`-c key=value` or cdk.json), falling back to environment variables named DEPLOY_ + the key in upper
 * snake case (allowedOrigins: DEPLOY_ALLOWED_ORIGINS). README "Configuration" lists every key; keep
 * the two in step.
 */

/** Every setting, by its context key. */
const CONFIG_KEYS = [
  'issuer',
  'audience',
  'allowedOrigins',
  'retentionDays',
  'alarmEmail',
  'throttleRate',
  'throttleBurst',
  'stage',
  'readScope',
  'writeScope',
  'courseClaim',
  'submissionClaim',
  'writerConcurrency',
  'readerConcurrency',
  'tableMaxWriteUnits',
  'tableMaxReadUnits',
  'destroyOnDelete',
  'analytics',
  'siteOidcClientId',
  'siteOidcScopes',
  'siteOidcAuthority',
  'siteConnectOrigins',
] as const;

/** The settings of the quiz log page; it is deployed when its client id is given. */
const SITE_KEYS = ['siteOidcClientId', 'siteOidcScopes', 'siteOidcAuthority', 'siteConnectOrigins'] as const;

export type ConfigKey = (typeof CONFIG_KEYS)[number];

const upperSnakeCase = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();

/**
 * The environment variable a setting falls back to. The prefix keeps the stack from taking what was set
 * for something else: the local server reads ALLOWED_ORIGINS, READ_SCOPE, WRITE_SCOPE, COURSE_CLAIM and
 * SUBMISSION_CLAIM, which a developer's shell may well hold when they deploy.
 */
export const deploymentVariable = (key: ConfigKey): string => `DEPLOY_${upperSnakeCase(key)}`;

/**
 * Names a setting does NOT fall back to, though one might expect it: the key without the prefix (the
 * local server's variables among them) and the names this stack read before it had the prefix.
 */
const unreadVariables = (key: ConfigKey): string[] => [
  upperSnakeCase(key),
  ...(key === 'issuer' ? ['JWT_ISSUER'] : key === 'audience' ? ['JWT_AUDIENCE'] : []),
];

/** A variable set in the synthesizing shell that looks like a setting but is not read as one. */
export interface IgnoredVariable {
  variable: string;
  key: ConfigKey;
}

/** The warning synthesis shows for it. */
export const ignoredVariableWarning = ({ variable, key }: IgnoredVariable): string =>
  `${variable} is set but not deployed: the stack reads ${key} only from -c ${key}=… or ${deploymentVariable(key)} ` +
  `(${variable} is the local server's setting, or an older name).`;

/** Optional parts of the stack: turning one on says nothing about which deployment this is. */
const FEATURE_SWITCHES: readonly ConfigKey[] = ['analytics'];

/**
 * Used only when no setting at all is given, so that `npx cdk synth` on a fresh clone shows the stack.
 * The issuer's domain is reserved (RFC 2606): a stack deployed with it rejects every token.
 */
export const EXAMPLE_VALUES = {
  issuer: 'https://issuer.example.com/',
  audience: 'quiz-submission-events',
  allowedOrigins: 'https://canvas.example.com',
  siteOidcClientId: 'quiz-log-example',
} as const satisfies Partial<Record<ConfigKey, string>>;

export const DEFAULTS = {
  retentionDays: 0,
  // About 3,000 students taking a quiz at once, each posting every 15 s.
  throttleRate: 200,
  throttleBurst: 400,
  stage: 'prod',
  courseClaim: DEFAULT_COURSE_CLAIM,
  /**
   * Bounds on what abuse can cost, with room for the busiest honest use. A POST spends ~30–60 ms in the
   * writer, so 3,000 students posting every 15 s (200 requests/s, the default stage rate) keep ~12
   * writers busy: 50 is four times that, and caps a flood at 50 concurrent invocations. Reporting reads are
   * few and slower (a feed page is up to 10 Queries): 10 readers. Each is deducted from the account's
   * concurrency, which must keep 100 unreserved: an account still at the new-account quota of 10 cannot
   * reserve any, and must ask for more or lower these.
   */
  writerConcurrency: 50,
  readerConcurrency: 10,
  /**
   * On-demand ceilings per second. The 200 POSTs/s above at ~5 events of 1–2 write units each need
   * 1,000–2,000 write units/s; 4,000 leaves room for bursts and resends, and caps the worst case at about
   * $9 an hour ($0.625 per million write units). Reads: a feed page of 100 events is ~25 read units.
   */
  tableMaxWriteUnits: 4_000,
  tableMaxReadUnits: 2_000,
} as const;

/** Values from `-c key=value` are strings; values from cdk.json may be JSON numbers or booleans. */
const text = z.preprocess((value) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value), z.string().trim());

const commaList = text.transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);

const integer = (min: number, max: number) =>
  text.pipe(z.coerce.number<string>({ error: 'must be a number' }).int('must be a whole number').min(min).max(max));

const flag = text.pipe(z.enum(['true', 'false'], 'must be true or false')).transform((value) => value === 'true');

/** The local server reads the same list with the same rules: never a wildcard, never a path. */
const origins = text.transform(transformOrIssue(parseAllowedOrigins));

const scopeOverride = (access: TableAccess) => text.transform(transformOrIssue((value: string) => validScopeOverride(access, value)));

/** RFC 6749's scope-token: printable ASCII but space, `"` and `\\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const scopeList = text
  .transform((value) => value.split(/\s+/).filter((scope) => scope !== ''))
  .pipe(z.array(z.string().regex(SCOPE_TOKEN, 'must be OAuth scopes separated by spaces')).min(1, 'must name at least one scope'))
  .transform((scopes) => scopes.join(' '));

const configSchema = z
  .object({
    // API Gateway fetches the issuer's OpenID configuration and keys over HTTPS.
    issuer: z.url({ protocol: /^https$/, error: 'must be an https URL, the `iss` of the tokens' }),
    audience: commaList.pipe(z.array(z.string()).min(1, 'must name at least one audience')),
    allowedOrigins: origins.default([]),
    retentionDays: integer(0, 36_500).default(DEFAULTS.retentionDays),
    alarmEmail: text.pipe(z.email()).optional(),
    throttleRate: text.pipe(z.coerce.number<string>({ error: 'must be a number' }).positive().max(1_000_000)).default(DEFAULTS.throttleRate),
    throttleBurst: integer(1, 1_000_000).default(DEFAULTS.throttleBurst),
    // Part of the stack name, so several stages can live in one account.
    stage: text.pipe(z.string().regex(/^[A-Za-z0-9-]{1,32}$/, 'must be 1-32 letters, digits or hyphens')).default(DEFAULTS.stage),
    // For an identity provider that cannot mint Canvas's scope strings.
    readScope: scopeOverride('read').optional(),
    writeScope: scopeOverride('write').optional(),
    courseClaim: text.pipe(z.string().min(1)).default(DEFAULTS.courseClaim),
    // For quiz platforms that mint a token per quiz session: the submissions a writer may write.
    submissionClaim: text.pipe(z.string().min(1)).optional(),
    writerConcurrency: integer(1, 10_000).default(DEFAULTS.writerConcurrency),
    readerConcurrency: integer(1, 10_000).default(DEFAULTS.readerConcurrency),
    tableMaxWriteUnits: integer(1, 40_000).default(DEFAULTS.tableMaxWriteUnits),
    tableMaxReadUnits: integer(1, 40_000).default(DEFAULTS.tableMaxReadUnits),
    destroyOnDelete: flag.default(false),
    // The events' changes into S3, queryable from Athena (docs/analytics.md).
    analytics: flag.default(false),
    // The quiz log page (README, "The quiz log page"): a public OIDC client registered for its URL.
    siteOidcClientId: text.pipe(z.string().regex(/^[\x21-\x7e]{1,256}$/, 'must be the client id the identity provider issued for the quiz log page')).optional(),
    siteOidcScopes: scopeList.optional(),
    siteOidcAuthority: z.url({ protocol: /^https$/, error: 'must be an https URL, the identity provider the page signs in with' }).optional(),
    siteConnectOrigins: origins.default([]),
  })
  .superRefine((config, context) => {
    if (config.siteOidcClientId !== undefined) return;
    for (const key of SITE_KEYS) {
      const given = key === 'siteConnectOrigins' ? config[key].length > 0 : config[key] !== undefined;
      if (given) context.addIssue({ code: 'custom', path: [key], message: 'means nothing without siteOidcClientId, which deploys the quiz log page' });
    }
  })
  .refine((config) => config.throttleBurst >= config.throttleRate, {
    path: ['throttleBurst'],
    message: 'must be at least throttleRate, or bursts would be throttled below the steady rate',
  });

type ParsedConfig = z.output<typeof configSchema>;

export interface SiteSettings {
  /** Authorization code + PKCE against this provider, for these scopes: config.json's auth, less its type. */
  oidc: Omit<OidcSignIn, 'type'>;
  /** Origins besides the API and the authority that the page may call, e.g. an IdP's token endpoint elsewhere. */
  connectOrigins: string[];
}

export interface DeploymentConfig extends Omit<ParsedConfig, 'readScope' | 'writeScope' | (typeof SITE_KEYS)[number]> {
  /** The scope each route requires: Canvas's scope strings unless overridden. */
  scopes: Readonly<Record<RouteId, string>>;
  /** The quiz log page, when it is deployed. */
  site: SiteSettings | undefined;
  /** True when nothing was configured and the example values stand in: not for deployment. */
  usesExampleValues: boolean;
  /** Variables that look like settings that were not given, but are not read: synthesis warns of each. */
  ignoredVariables: IgnoredVariable[];
}

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** Reads a context value by key, as `node.tryGetContext` does. */
export type ContextReader = (key: string) => unknown;

export function loadDeploymentConfig(readContext: ContextReader, environment: NodeJS.ProcessEnv = {}): DeploymentConfig {
  const raw: Partial<Record<ConfigKey, unknown>> = {};
  const ignoredVariables: IgnoredVariable[] = [];
  for (const key of CONFIG_KEYS) {
    const value = readContext(key) ?? environment[deploymentVariable(key)];
    if (value !== undefined && value !== '') raw[key] = value;
    else ignoredVariables.push(...unreadVariables(key).filter((variable) => environment[variable]).map((variable) => ({ variable, key })));
  }
  const usesExampleValues = Object.keys(raw).every((key) => FEATURE_SWITCHES.includes(key as ConfigKey));
  const parsed = configSchema.safeParse(usesExampleValues ? { ...EXAMPLE_VALUES, ...raw } : raw);
  if (!parsed.success) throw new ConfigurationError(describeIssues(parsed.error, raw, ignoredVariables));
  const { readScope, writeScope, siteOidcClientId, siteOidcScopes, siteOidcAuthority, siteConnectOrigins, ...config } = parsed.data;
  const overrides = { read: readScope, write: writeScope };
  const site =
    siteOidcClientId === undefined
      ? undefined
      : {
          // The page reads with the same tokens as any reporting client: the read scopes, plus OpenID sign-in.
          oidc: { authority: siteOidcAuthority ?? config.issuer, clientId: siteOidcClientId, scopes: siteOidcScopes ?? ['openid', ...scopesOfAccess('read', overrides)].join(' ') },
          connectOrigins: siteConnectOrigins,
        };
  return { ...config, scopes: routeScopes(overrides), site, usesExampleValues, ignoredVariables };
}

function describeIssues(error: z.ZodError, raw: Partial<Record<ConfigKey, unknown>>, ignored: IgnoredVariable[]): string {
  const lines = error.issues.map((issue) => {
    const key = String(issue.path[0]) as ConfigKey;
    const missing = raw[key] === undefined;
    const unread = ignored.filter((variable) => variable.key === key).map(({ variable }) => `; ${variable} is set but not read`);
    const how = `-c ${key}=… or set ${deploymentVariable(key)}${unread.join('')}`;
    return missing ? `  ${key}: required (${how})` : `  ${key}: ${issue.message} (${how})`;
  });
  return `Invalid deployment configuration:\n${lines.join('\n')}\nSee README, "Configuration".`;
}
