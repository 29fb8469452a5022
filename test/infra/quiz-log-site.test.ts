import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scopesOfAccess } from '#lib/auth/scopes.ts';
import { loadDeploymentConfig } from '../../infra/config.ts';
import { LOG_RETENTION } from '../../infra/events-stack.ts';
import { DEPLOYMENT_CONTEXT, synth } from './synth.ts';

const { app, template } = synth();
const json = template.toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, any> }>; Outputs: Record<string, any> };
const only = (type: string) => {
  const found = Object.entries(json.Resources).filter(([, definition]) => definition.Type === type);
  expect(found, type).toHaveLength(1);
  const [id, definition] = found[0]!;
  return { id, Properties: definition.Properties };
};
const bucket = only('AWS::S3::Bucket');
const distribution = only('AWS::CloudFront::Distribution');
const headers = only('AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
const deployment = only('Custom::CDKBucketDeployment');
/** The CSP as CloudFormation joins it, with the region and URL suffix as placeholders. */
const csp = (headers.ContentSecurityPolicy.ContentSecurityPolicy['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : `<${(part as { Ref: string }).Ref}>`)).join('');
const fromContext = (context: Record<string, unknown>) => (key: string) => context[key];

describe('the quiz log page in AWS', () => {
  it('keeps its files in a private, encrypted bucket that refuses plain HTTP', () => {
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    const statements = only('AWS::S3::BucketPolicy').Properties.PolicyDocument.Statement as Record<string, any>[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    // The one reader: this distribution, through origin access control.
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } });
    expect(JSON.stringify(allows[0]!.Condition)).toContain(distribution.id);
  });

  it('is served by CloudFront over HTTPS only, through origin access control', () => {
    const config = distribution.Properties.DistributionConfig;
    expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'] });
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.Origins).toHaveLength(1);
    expect(config.Origins[0].OriginAccessControlId).toBeDefined();
    expect(config.Origins[0].S3OriginConfig.OriginAccessIdentity).toBe('');
    expect(only('AWS::CloudFront::OriginAccessControl').Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
  });

  it('sends the security headers: a CSP that lets the page call only the API and the identity provider, HSTS, nosniff, no framing, no referrer', () => {
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toMatch(`connect-src 'self' https://*.execute-api.<AWS::Region>.<AWS::URLSuffix> ${new URL(DEPLOYMENT_CONTEXT.issuer).origin};`);
    expect(headers).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
    });
  });

  it('uploads the page with a config.json naming the API and the OIDC sign-in, then invalidates the distribution', () => {
    // Arrange: the config object, as synthesis staged it, and the marker the deployment replaces with the API URL
    const assetKey = (deployment.Properties.SourceObjectKeys as string[])[1]!;
    const configText = readFileSync(join(app.outdir, `asset.${assetKey.replace(/\.zip$/, '')}`, 'config.json'), 'utf8');
    const markers = deployment.Properties.SourceMarkers[1] as Record<string, unknown>;

    // Assert
    const config = JSON.parse(configText);
    expect(config).toEqual({
      apiBaseUrl: Object.keys(markers)[0],
      auth: { type: 'oidc', authority: DEPLOYMENT_CONTEXT.issuer, clientId: DEPLOYMENT_CONTEXT.siteOidcClientId, scopes: ['openid', ...scopesOfAccess('read')].join(' ') },
    });
    expect(Object.values(markers)[0]).toEqual({ 'Fn::GetAtt': [only('AWS::ApiGatewayV2::Api').id, 'ApiEndpoint'] });
    expect(deployment.Properties).toMatchObject({ DestinationBucketName: { Ref: bucket.id }, DistributionId: { Ref: distribution.id }, DistributionPaths: ['/*'], Prune: true, RetainOnDelete: false });
    expect(deployment.Properties.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
  });

  it('keeps the deployment handler’s logs for the stack’s retention', () => {
    const handlerLogs = Object.values(json.Resources).filter((definition) => definition.Type === 'AWS::Logs::LogGroup' && definition.Properties.RetentionInDays === LOG_RETENTION);
    expect(handlerLogs.length).toBeGreaterThanOrEqual(3);
  });

  it('outputs the page URL, to register as the OIDC client’s redirect URI', () => {
    expect(json.Outputs.SiteUrl.Value).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution.id, 'DomainName'] }, '/']] });
  });

  it('is not deployed without a client id for it', () => {
    // Act
    const { template: withoutSite } = synth({ ...DEPLOYMENT_CONTEXT, siteOidcClientId: undefined });

    // Assert
    withoutSite.resourceCountIs('AWS::CloudFront::Distribution', 0);
    withoutSite.resourceCountIs('AWS::S3::Bucket', 0);
    expect(Object.values(withoutSite.findResources('AWS::ApiGatewayV2::Api'))[0]!.Properties.CorsConfiguration.AllowOrigins).toEqual(['https://canvas.example.edu', 'https://quiz.example.edu']);
  });
});

describe('the quiz log page settings', () => {
  const REQUIRED = { issuer: 'https://idp.example.edu/', audience: 'quiz-submission-events', siteOidcClientId: 'quiz-log' };

  it('sign in at the issuer for OpenID and the read scope unless told otherwise', () => {
    expect(loadDeploymentConfig(fromContext({ ...REQUIRED, readScope: 'quiz-events/read' })).site).toEqual({
      oidc: { authority: 'https://idp.example.edu/', clientId: 'quiz-log', scopes: 'openid quiz-events/read' },
      connectOrigins: [],
    });
  });

  it('take another authority, scopes and extra origins', () => {
    const config = loadDeploymentConfig(
      fromContext({ ...REQUIRED, siteOidcAuthority: 'https://login.example.edu/oauth2', siteOidcScopes: ' openid  profile quiz-events/read ', siteConnectOrigins: 'https://auth.example.edu' }),
    );
    expect(config.site).toEqual({ oidc: { authority: 'https://login.example.edu/oauth2', clientId: 'quiz-log', scopes: 'openid profile quiz-events/read' }, connectOrigins: ['https://auth.example.edu'] });
  });

  it.each([
    ['an authority that is not https', { siteOidcAuthority: 'http://login.example.edu/' }, /siteOidcAuthority: must be an https URL/],
    ['a scope with a quote', { siteOidcScopes: 'openid "read"' }, /siteOidcScopes: must be OAuth scopes separated by spaces/],
    ['a wildcard origin', { siteConnectOrigins: 'https://*.example.edu' }, /siteConnectOrigins: .*no wildcard/],
    ['a client id with a space', { siteOidcClientId: 'quiz log' }, /siteOidcClientId: must be the client id/],
    ['page settings without its client id', { siteOidcClientId: undefined, siteOidcScopes: 'openid' }, /siteOidcScopes: means nothing without siteOidcClientId/],
  ])('refuse %s', (_case, override, message) => {
    expect(() => loadDeploymentConfig(fromContext({ ...REQUIRED, ...override }))).toThrow(message);
  });
});
