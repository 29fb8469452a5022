import { describe, expect, it } from 'vitest';
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_EXPOSE_HEADERS, CORS_MAX_AGE_SECONDS } from '#lib/cors.ts';
import { accessOf, ROUTE_IDS, ROUTES, type RouteId, routeKey } from '#lib/routes.ts';
import { READER_ROUTE_THROTTLE } from '../../infra/constructs/events-api.ts';
import { LOG_RETENTION } from '../../infra/events-stack.ts';
import { DEPLOYMENT_CONTEXT, resource, synth } from './synth.ts';

const { template } = synth();
const only = (type: string): { id: string; Properties: Record<string, any> } => {
  const found = Object.entries(template.findResources(type));
  expect(found).toHaveLength(1);
  const [id, definition] = found[0]!;
  return { id, Properties: definition.Properties };
};
const api = only('AWS::ApiGatewayV2::Api');
const stage = only('AWS::ApiGatewayV2::Stage');
const authorizer = only('AWS::ApiGatewayV2::Authorizer');

function route(id: RouteId) {
  const found = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter(
    (candidate) => candidate.Properties.RouteKey === routeKey(id),
  );
  expect(found).toHaveLength(1);
  return found[0]!.Properties;
}

/** The function a route's integration invokes, by logical id. */
function integratedFunction(id: RouteId): string {
  const integrationId = route(id).Target['Fn::Join'][1][1].Ref as string;
  const integration = template.toJSON().Resources[integrationId];
  expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
  return integration.Properties.IntegrationUri['Fn::GetAtt'][0];
}

describe('the HTTP API', () => {
  it('is an HTTP API (API Gateway v2) with exactly the routes of the route table', () => {
    expect(api.Properties.ProtocolType).toBe('HTTP');
    template.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTE_IDS.length);
    for (const id of ROUTE_IDS) expect(route(id).RouteKey).toBe(`${ROUTES[id].method} ${ROUTES[id].path}`);
  });

  it('sends each route to the function the route table names (POST to the writer, every GET to the reader), as payload format 2.0', () => {
    const functionId = { writer: resource(template, 'AWS::Lambda::Function', 'WriterFunction').id, reader: resource(template, 'AWS::Lambda::Function', 'ReaderFunction').id };
    for (const id of ROUTE_IDS) expect(integratedFunction(id)).toBe(functionId[ROUTES[id].servedBy]);
    expect(ROUTES.postEvents.servedBy).toBe('writer');
    expect(ROUTE_IDS.filter((id) => ROUTES[id].method === 'GET').every((id) => ROUTES[id].servedBy === 'reader')).toBe(true);
  });

  it('verifies JWTs from the configured issuer for the configured audience, from the Authorization header', () => {
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: DEPLOYMENT_CONTEXT.issuer, Audience: [DEPLOYMENT_CONTEXT.audience] },
    });
  });

  it.each(ROUTE_IDS)('the %s route requires exactly its Canvas scope string', (id) => {
    expect(route(id)).toMatchObject({
      AuthorizationType: 'JWT',
      AuthorizerId: { Ref: authorizer.id },
      AuthorizationScopes: [`url:${ROUTES[id].method}|${ROUTES[id].path.replace(/\{(\w+)\}/g, ':$1')}`],
    });
  });

  it('throttles each reporting route on its own, below the stage: a crawl of reports cannot take the quiz clients\' rate', () => {
    const readerRoutes = ROUTE_IDS.filter((id) => ROUTES[id].servedBy === 'reader');
    expect(stage.Properties.RouteSettings).toEqual(
      Object.fromEntries(readerRoutes.map((id) => [routeKey(id), { ThrottlingRateLimit: READER_ROUTE_THROTTLE.rateLimit, ThrottlingBurstLimit: READER_ROUTE_THROTTLE.burstLimit }])),
    );
    expect(template.toJSON().Resources[stage.id].DependsOn).toEqual(expect.arrayContaining(Object.keys(template.findResources('AWS::ApiGatewayV2::Route'))));
  });

  it('requires the operator\'s scopes instead when they are overridden', () => {
    // Act
    const { template: overridden } = synth({ ...DEPLOYMENT_CONTEXT, readScope: 'quiz-events/read', writeScope: 'quiz-events/write' });

    // Assert
    const scopes = Object.values(overridden.findResources('AWS::ApiGatewayV2::Route')).map((r) => [r.Properties.RouteKey, r.Properties.AuthorizationScopes]);
    expect(Object.fromEntries(scopes)).toEqual(Object.fromEntries(ROUTE_IDS.map((id) => [routeKey(id), [`quiz-events/${accessOf(id)}`]])));
  });

  it('answers CORS preflights for the configured origins and the quiz log page only, with the local server\'s settings', () => {
    const distribution = only('AWS::CloudFront::Distribution');
    expect(api.Properties.CorsConfiguration).toEqual({
      AllowOrigins: ['https://canvas.example.edu', 'https://quiz.example.edu', { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution.id, 'DomainName'] }]] }],
      AllowMethods: [...CORS_ALLOW_METHODS],
      AllowHeaders: [...CORS_ALLOW_HEADERS],
      ExposeHeaders: [...CORS_EXPOSE_HEADERS],
      MaxAge: CORS_MAX_AGE_SECONDS,
    });
    expect(JSON.stringify(api.Properties.CorsConfiguration)).not.toContain('*');
  });

  it('has no CORS configuration at all when no origin is configured', () => {
    // Act
    const { template: noCors } = synth({ issuer: DEPLOYMENT_CONTEXT.issuer, audience: DEPLOYMENT_CONTEXT.audience });

    // Assert
    const [noCorsApi] = Object.values(noCors.findResources('AWS::ApiGatewayV2::Api'));
    expect(noCorsApi!.Properties.CorsConfiguration).toBeUndefined();
  });

  it('serves the routes at the root on an auto-deployed $default stage', () => {
    expect(stage.Properties).toMatchObject({ ApiId: { Ref: api.id }, StageName: '$default', AutoDeploy: true });
  });

  it('throttles the stage at the configured rate and burst', () => {
    expect(stage.Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: Number(DEPLOYMENT_CONTEXT.throttleRate),
      ThrottlingBurstLimit: Number(DEPLOYMENT_CONTEXT.throttleBurst),
    });
  });

  it('writes one JSON access log line per request to a log group that expires them, and never the token', () => {
    // Arrange
    const { DestinationArn, Format } = stage.Properties.AccessLogSettings;
    const logGroupId = DestinationArn['Fn::GetAtt'][0];

    // Assert
    expect(template.toJSON().Resources[logGroupId]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: LOG_RETENTION } });
    expect(JSON.parse(Format)).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
    expect(Format).not.toMatch(/authorization|header/i);
  });
});

describe('the outputs', () => {
  const outputs = template.toJSON().Outputs;

  it('give the API URL and the events path template under it', () => {
    expect(outputs.ApiUrl.Value).toEqual({ 'Fn::GetAtt': [api.id, 'ApiEndpoint'] });
    expect(outputs.EventsUrl.Value).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [api.id, 'ApiEndpoint'] }, ROUTES.postEvents.path]] });
  });

  it('give the table name', () => {
    expect(outputs.TableName.Value).toEqual({ Ref: only('AWS::DynamoDB::Table').id });
  });
});
