import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CfnStage, CorsHttpMethod, HttpApi, HttpMethod, type HttpRoute, type HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_EXPOSE_HEADERS, CORS_MAX_AGE_SECONDS } from '#lib/cors.ts';
import { type FunctionName, ROUTE_IDS, ROUTES, type RouteId, routeKey, routesServedBy } from '#lib/routes.ts';

/**
 * The reporting (reader) routes each get a throttle of their own, below the stage's: a report crawling a
 * quiz (a feed page is up to 10 Queries) cannot use up the rate the quiz clients' POSTs need.
 */
export const READER_ROUTE_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

export interface EventsApiProps {
  functions: Readonly<Record<FunctionName, IFunction>>;
  issuer: string;
  audience: string[];
  /** The scope each route requires. */
  scopes: Readonly<Record<RouteId, string>>;
  /** Browser origins allowed by CORS; none means no CORS at all. */
  allowedOrigins: string[];
  throttle: { rateLimit: number; burstLimit: number };
  logRetention: RetentionDays;
  logRemovalPolicy: RemovalPolicy;
}

/**
 * One JSON object per request. `httpMethod` and `status` feed the writer's 503 rate; nothing here
 * carries a token or a request body.
 */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  error: '$context.error.message',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  lambdaRequestId: '$context.integration.requestId',
} as const;

/** The HTTP API: the events path's two routes behind the JWT authorizer, on a throttled, logged $default stage. */
export class EventsApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** The events resource as a URL template, e.g. https://…/api/v1/courses/{course_id}/…/events. */
  readonly eventsUrl: string;

  constructor(scope: Construct, id: string, props: EventsApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: Stack.of(this).stackName,
      description: 'Canvas Quiz Submission Events API',
      createDefaultStage: false,
      ...(props.allowedOrigins.length > 0 && {
        corsPreflight: {
          allowOrigins: props.allowedOrigins,
          // The same settings the local server answers preflights with.
          allowMethods: CORS_ALLOW_METHODS.map((method) => method as CorsHttpMethod),
          allowHeaders: [...CORS_ALLOW_HEADERS],
          exposeHeaders: [...CORS_EXPOSE_HEADERS],
          maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
        },
      }),
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: props.logRemovalPolicy });
    // $default serves the API at the root, so its paths are the ones Canvas clients use.
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const authorizer = new HttpJwtAuthorizer('CanvasJwt', props.issuer, { jwtAudience: props.audience });
    const integrations = {
      writer: new HttpLambdaIntegration('Writer', props.functions.writer),
      reader: new HttpLambdaIntegration('Reader', props.functions.reader),
    };
    const routes: HttpRoute[] = [];
    for (const id of ROUTE_IDS) {
      const { method, path, servedBy } = ROUTES[id];
      routes.push(...this.api.addRoutes({
        path,
        methods: [HttpMethod[method]],
        integration: integrations[servedBy],
        authorizer,
        authorizationScopes: [props.scopes[id]],
      }));
    }
    (this.stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      routesServedBy('reader').map((id) => [
        routeKey(id),
        // A JSON property: CloudFormation's own (PascalCase) names, which CDK passes through as written.
        { ThrottlingRateLimit: READER_ROUTE_THROTTLE.rateLimit, ThrottlingBurstLimit: READER_ROUTE_THROTTLE.burstLimit },
      ]),
    );
    // A stage's route settings name routes that must exist first.
    this.stage.node.addDependency(...routes);
    this.eventsUrl = `${this.api.apiEndpoint}${ROUTES.postEvents.path}`;
  }
}
