import { fileURLToPath } from 'node:url';
import { Aws, DockerImage, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  type HeadersFrameOption,
  type HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { buildSite } from '../../web/build.ts';
import { contentSecurityPolicy, FRAME_OPTIONS, HSTS_MAX_AGE_SECONDS, REFERRER_POLICY } from '../../web/security-headers.ts';
import type { SiteConfig } from '../../web/src/site-config.ts';
import type { SiteSettings } from '../config.ts';

const WEB_DIR = fileURLToPath(new URL('../../web', import.meta.url));

/** The member of a CDK string enum that has this value; the compiler checks the value is one of its members'. */
const enumMember = <Enum extends string>(value: `${Enum}`): Enum => value as Enum;

/** The page's settings from the deployment configuration, and the retention and removal of its deployment logs. */
export interface QuizLogSiteProps extends SiteSettings {
  logRetention: RetentionDays;
  logRemovalPolicy: RemovalPolicy;
}

/**
 * The quiz log page: its files in a private bucket, served only through CloudFront (origin access
 * control, HTTPS only, security headers).
 *
 * The API stays on its own execute-api origin and lists this site's origin in its CORS settings,
 * rather than sitting behind the same distribution: the API's Link headers name the host the gateway
 * saw (its own), so paging would leave the site's origin anyway; the quiz pages already need CORS; and
 * the gateway's throttling, JWT authorizer and access logs stay exactly as for every other client.
 *
 * The content security policy allows API Gateway in this region (`*.execute-api.<region>`) rather
 * than the API's exact host: the API's CORS names the distribution's domain, so a header policy
 * naming the API's id would make the two depend on each other (a cycle CloudFormation cannot order).
 * The page still runs only its own scripts, with no inline script, which is what keeps injected code
 * out in the first place.
 */
export class QuizLogSite extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** https://<distribution domain>, the site's origin. */
  readonly origin: string;
  private readonly props: QuizLogSiteProps;

  constructor(scope: Construct, id: string, props: QuizLogSiteProps) {
    super(scope, id);
    this.props = props;
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Only build output lives here: the deployment below empties it when the stack goes.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'The bucket holds only the static build of a public page; CloudFront is its only reader, and every data request is logged by the API access logs.',
    });

    const connectSources = [`https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, new URL(props.oidc.authority).origin, ...props.connectOrigins];
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Quiz log page: CSP, HSTS, nosniff, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy([...new Set(connectSources)]), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.seconds(HSTS_MAX_AGE_SECONDS), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: enumMember<HeadersFrameOption>(FRAME_OPTIONS), override: true },
        referrerPolicy: { referrerPolicy: enumMember<HeadersReferrerPolicy>(REFERRER_POLICY), override: true },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Quiz log page',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        // Views are query strings of the one page: the cache key leaves them out.
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      // North America and Europe: the cheapest class; readers elsewhere are served, from farther away.
      priceClass: PriceClass.PRICE_CLASS_100,
    });
    const acknowledge = (id: string, reason: string) => Validations.of(this.distribution).acknowledge({ id, reason });
    acknowledge('AwsSolutions-CFR1', 'Teachers and reviewers read quiz logs from anywhere; the API authorizes every data request.');
    acknowledge('AwsSolutions-CFR2', 'The distribution serves only static public files; the API behind its own gateway is throttled and authorized. Attach a web ACL if your institution requires one.');
    acknowledge('AwsSolutions-CFR3', 'Only static public files are served here; the requests that read data are logged by the API access logs.');
    acknowledge(
      'AwsSolutions-CFR4',
      'The default *.cloudfront.net certificate fixes the TLS policy; serve the page from your own domain and certificate to set TLSv1.2_2021 as the minimum.',
    );
    this.origin = `https://${this.distribution.distributionDomainName}`;
  }

  /**
   * Uploads the page and a config.json naming the API and the sign-in settings. Separate from the
   * constructor because the API's CORS needs this site's origin first.
   */
  publish({ apiUrl }: { apiUrl: string }): BucketDeployment {
    const config: SiteConfig = { apiBaseUrl: apiUrl, auth: { type: 'oidc', ...this.props.oidc } };
    const deployment = new BucketDeployment(this, 'Deployment', {
      destinationBucket: this.bucket,
      sources: [
        // Built from source by the local esbuild at synthesis, like the functions: never Docker.
        Source.asset(WEB_DIR, {
          exclude: ['dist'],
          bundling: {
            image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:20-slim'),
            local: { tryBundle: (outputDir) => (buildSite(outputDir), true) },
          },
        }),
        Source.jsonData('config.json', config),
      ],
      // Checked again on each load; the deployment invalidates the distribution's copies.
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      retainOnDelete: false,
      logGroup: new LogGroup(this, 'DeploymentLogs', { retention: this.props.logRetention, removalPolicy: this.props.logRemovalPolicy }),
    });
    acknowledgeDeploymentHandler(this, Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket));
    return deployment;
  }
}

/**
 * BucketDeployment's handler is CDK's own singleton function (one per stack, at the stack's root): its
 * role and runtime are CDK's to choose. Each finding is acknowledged on that function alone.
 */
function acknowledgeDeploymentHandler(scope: Construct, bucketLogicalId: string) {
  const handler = Stack.of(scope).node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler) throw new Error('BucketDeployment created no handler function');
  const copying = 'BucketDeployment copies the built page from the CDK asset bucket into the site bucket and removes old files';
  const findings: Record<string, string> = {
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]': 'CDK’s BucketDeployment handler writes its logs with the AWS managed basic execution policy; it holds no data.',
    'AwsSolutions-IAM5[Action::s3:GetBucket*]': `${copying}; CDK grants these read actions on the asset bucket only.`,
    'AwsSolutions-IAM5[Action::s3:GetObject*]': `${copying}; CDK grants these read actions on the asset and site buckets only.`,
    'AwsSolutions-IAM5[Action::s3:List*]': `${copying}; CDK grants listing on the asset and site buckets only.`,
    'AwsSolutions-IAM5[Action::s3:Abort*]': `${copying}; CDK grants aborting uploads on the site bucket only.`,
    'AwsSolutions-IAM5[Action::s3:DeleteObject*]': `${copying}; CDK grants deleting on the site bucket only, to prune old builds.`,
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]': `${copying}; the asset objects are read from the bootstrap bucket.`,
    [`AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`]: `${copying}; it writes every object of the site bucket and nothing else.`,
    'AwsSolutions-IAM5[Resource::*]': 'BucketDeployment invalidates the distribution after an upload; CloudFront invalidation is granted on every distribution by CDK.',
    'AwsSolutions-L1': 'CDK pins the runtime of its BucketDeployment handler (with the AWS CLI layer it needs); it moves with aws-cdk-lib upgrades.',
  };
  for (const [id, reason] of Object.entries(findings)) Validations.of(handler).acknowledge({ id, reason });
}
