/**
 * The HTTP API: public webhook routes (each request authenticated by its signature inside the
 * function) and one IAM-authorized operator proxy, a throttled `$default` stage with access logs,
 * and the managed policy operators attach to call the /operator/ routes.
 */
import { type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Webhook routes: public, each request authenticated by its signature inside the function. */
export const WEBHOOK_ROUTES = ['/webhooks/billing', '/webhooks/stripe', '/webhooks/yookassa', '/webhooks/cloudpayments'] as const;
/** Operator routes: one IAM-authorized proxy; operator-api dispatches on method and path. */
export const OPERATOR_ROUTE = '/operator/{proxy+}';

/** Stage throttling of the HTTP API (steady requests per second and burst). */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

export interface ClaimflowApiProps {
  prefix: string;
  logRemoval: RemovalPolicy;
  webhook: lambda.IFunction;
  operator: lambda.IFunction;
}

export class ClaimflowApi extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;

  constructor(scope: Construct, id: string, props: ClaimflowApiProps) {
    super(scope, id);
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `${props.prefix}-api`,
      description: 'claimflow: signed webhooks (public) and operator actions (IAM)',
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: props.logRemoval });
    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            caller: '$context.identity.userArn',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    const webhookIntegration = new HttpLambdaIntegration('WebhookIntegration', props.webhook);
    for (const p of WEBHOOK_ROUTES) {
      const [route] = this.httpApi.addRoutes({ path: p, methods: [apigwv2.HttpMethod.POST], integration: webhookIntegration });
      Validations.of(route!).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Webhook senders (billing, Stripe, YooKassa, CloudPayments) cannot sign AWS requests: the function verifies each request (HMAC signature, Stripe SDK, or the YooKassa IP allowlist) and answers 401 before storing anything; the stage is throttled.',
      });
    }
    this.httpApi.addRoutes({
      path: OPERATOR_ROUTE,
      methods: [apigwv2.HttpMethod.ANY],
      integration: new HttpLambdaIntegration('OperatorIntegration', props.operator),
      authorizer: new HttpIamAuthorizer(),
    });
    new iam.ManagedPolicy(this, 'OperatorApiAccess', {
      managedPolicyName: `${props.prefix}-operator-api`,
      description: 'Attach to operator users/roles: lets them call the claimflow /operator/* routes (SigV4 signed).',
      statements: [
        new iam.PolicyStatement({
          actions: ['execute-api:Invoke'],
          resources: [Stack.of(this).formatArn({ service: 'execute-api', resource: this.httpApi.apiId, resourceName: '*/*/operator/*' })],
        }),
      ],
    });
  }
}
