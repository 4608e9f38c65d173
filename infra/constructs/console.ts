/**
 * The web console in AWS:
 * - the built console (console/dist, built by `npm ci`) in a private S3 bucket behind CloudFront
 *   (origin access control, HTTPS only, security headers with a content security policy, the SPA
 *   fallback to index.html, access logs);
 * - sign-in through a Cognito user pool whose groups are the roles (functions/domain/roles.ts), the
 *   hosted sign-in with the authorization-code flow and PKCE, no client secret in the bundle;
 * - the console's API calls go to the same CloudFront domain under /console/operator/* (no CORS),
 *   forwarded to the HTTP API route `/console/operator/{proxy+}` with a JWT authorizer (the user
 *   pool's ID tokens), next to the IAM-authorized `/operator/{proxy+}` of the CLI; both reach the
 *   same operator function, which takes the user and roles from the verified token's claims.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { ROLES } from '../../functions/domain/roles.js';

/** The console's API route on the HTTP API (JWT), beside the CLI's IAM-authorized /operator/{proxy+}. */
export const CONSOLE_API_ROUTE = '/console/operator/{proxy+}';
export const CONSOLE_DIST = path.resolve(import.meta.dirname, '..', '..', 'console', 'dist');

export interface ClaimflowConsoleProps {
  prefix: string;
  logRemoval: RemovalPolicy;
  httpApi: apigwv2.HttpApi;
  operator: lambda.IFunction;
  /** Folder of the built console (default console/dist). */
  assets?: string;
}

export class ClaimflowConsole extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly distribution: cloudfront.Distribution;
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ClaimflowConsoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const assets = props.assets ?? CONSOLE_DIST;
    if (!existsSync(path.join(assets, 'index.html'))) {
      throw new Error(`the web console is not built (${assets}/index.html missing): run \`npm run build:console\` (npm ci builds it)`);
    }

    // ------------------------------------------------------------------ sign-in: users and roles
    this.userPool = new cognito.UserPool(this, 'Users', {
      userPoolName: `${props.prefix}-console`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The groups are the roles; an administrator adds users to them (docs/deploy.md).
    for (const role of ROLES) {
      new cognito.CfnUserPoolGroup(this, `Role-${role}`, { userPoolId: this.userPool.userPoolId, groupName: role, description: `claimflow role ${role}` });
    }
    const domain = this.userPool.addDomain('SignIn', { cognitoDomain: { domainPrefix: `${props.prefix}-console-${stack.account}` } });

    // ------------------------------------------------------------------ hosting
    const logs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logs are delivered with bucket ACLs.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: props.logRemoval,
    });
    Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason: 'This bucket receives the console bucket and CloudFront access logs; logging it to itself would loop.' });
    this.bucket = new s3.Bucket(this, 'Assets', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/',
      // Built files only (they are redeployed from the repository); emptied by hand before a stack deletion.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const apiDomain = `${props.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: `${props.prefix}-console-security`,
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            // ECharts positions its tooltip with inline styles.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            `connect-src 'self' ${domain.baseUrl()}`,
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "object-src 'none'",
          ].join('; '),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, preload: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.SAME_ORIGIN, override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `${props.prefix} operator console`,
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        compress: true,
      },
      additionalBehaviors: {
        // The console's API calls: same origin for the browser, forwarded to the HTTP API (never cached).
        '/console/operator/*': {
          origin: new origins.HttpOrigin(apiDomain, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
      // The console's own paths (/runs/…, /customers/…) are served by index.html (a single-page app).
      errorResponses: [403, 404].map((httpStatus) => ({ httpStatus, responseHttpStatus: 200, responsePagePath: '/index.html', ttl: Duration.seconds(0) })),
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Operators of the company sign in from wherever they work; access is controlled by Cognito sign-in with MFA, not by country.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'No WAF web ACL by default (it must live in us-east-1 and costs per rule); the console is static files, and every API call needs a valid Cognito token checked by API Gateway.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The default *.cloudfront.net certificate is used (no custom domain configured), whose security policy CloudFront fixes at TLSv1; viewers are redirected to HTTPS and HSTS is sent.',
    });

    const origin = `https://${this.distribution.distributionDomainName}`;
    this.client = this.userPool.addClient('Console', {
      userPoolClientName: `${props.prefix}-console`,
      generateSecret: false,
      preventUserExistenceErrors: true,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [`${origin}/auth/callback`],
        logoutUrls: [`${origin}/`],
      },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(10),
      enableTokenRevocation: true,
    });

    // ------------------------------------------------------------------ the console's API route (JWT)
    const authorizer = new HttpJwtAuthorizer('ConsoleJwt', `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`, {
      jwtAudience: [this.client.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });
    props.httpApi.addRoutes({
      path: CONSOLE_API_ROUTE,
      methods: [apigwv2.HttpMethod.ANY],
      integration: new HttpLambdaIntegration('ConsoleOperatorIntegration', props.operator),
      authorizer,
    });

    // ------------------------------------------------------------------ the built files and their config
    const files = new s3deploy.BucketDeployment(this, 'Files', {
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      sources: [
        s3deploy.Source.asset(assets),
        s3deploy.Source.jsonData('config.json', {
          auth: 'cognito',
          apiBase: '/console',
          cognito: { domain: domain.baseUrl(), clientId: this.client.userPoolClientId, redirectUri: `${origin}/auth/callback` },
        }),
      ],
      memoryLimit: 256,
    });
    // The deployment's copy function is CDK's singleton (one per stack, outside this construct).
    const copier = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (copier) {
      const why = 'CDK BucketDeployment copy function, run only at deploy time to copy the built console into its bucket and invalidate CloudFront';
      // Its IAM5 wildcards are acknowledged by the "console-deployment" rule of infra/nag.ts.
      Validations.of(copier).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: `${why}: AWSLambdaBasicExecutionRole only lets it write its own logs.`,
      });
      Validations.of(copier).acknowledge({ id: 'AwsSolutions-L1', reason: `${why}: its runtime is pinned by aws-cdk-lib and moves with CDK upgrades.` });
    }
    files.node.addDependency(this.client);

    new CfnOutput(stack, 'ConsoleUrl', { value: `${origin}/`, description: 'Operator web console (sign in with a user of the ConsoleUserPool; its groups are the roles)' });
    new CfnOutput(stack, 'ConsoleUserPoolId', { value: this.userPool.userPoolId, description: `Console users: add each to a group = role (${ROLES.join(', ')})` });
  }
}
