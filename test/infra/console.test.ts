/**
 * The web console's hosting and sign-in in the synthesized service stack (fast mode): a private
 * bucket behind CloudFront with origin access control, HTTPS, a content security policy and the SPA
 * fallback; a Cognito user pool whose groups are the roles, with MFA and the code flow; the console's
 * API route authorized by a JWT authorizer next to the IAM-authorized CLI route.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ROLES } from '../../functions/domain/roles.js';
import { CONSOLE_API_ROUTE } from '../../infra/constructs/console.js';
import { buildTestApp } from './support.js';

let service: Template;

beforeAll(() => {
  // Prepare
  const app = buildTestApp({ 'claimflow:sesFromAddress': 'collections@acme.ru', 'claimflow:alarmEmail': 'ops@acme.ru' });
  service = Template.fromStack(app.service);
});

describe('web console in AWS', () => {
  it('serves the built files from a private bucket through CloudFront (OAC, HTTPS, SPA fallback, logs)', () => {
    // Assess
    service.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        CustomErrorResponses: Match.arrayWith([Match.objectLike({ ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html' })]),
        Logging: Match.anyValue(),
        Origins: Match.arrayWith([Match.objectLike({ OriginAccessControlId: Match.anyValue() })]),
        CacheBehaviors: Match.arrayWith([Match.objectLike({ PathPattern: '/console/operator/*', ViewerProtocolPolicy: 'https-only' })]),
      }),
    });
    service.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: Match.objectLike({ SigningBehavior: 'always' }) });
    const buckets = Object.values(service.findResources('AWS::S3::Bucket'));
    expect(buckets.length).toBeGreaterThanOrEqual(2);
    for (const b of buckets)
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
  });

  it('sends security headers with a content security policy that allows no inline or foreign script', () => {
    // Assess
    const policy = Object.values(service.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0]!;
    const sec = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(sec.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(sec.StrictTransportSecurity).toMatchObject({ Override: true, IncludeSubdomains: true });
    expect(sec.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
  });

  it('signs in with Cognito: MFA, no self sign-up, one group per role, a public client with the code flow', () => {
    // Assess
    service.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON', AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    const groups = Object.values(service.findResources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
    service.hasResourceProperties('AWS::Cognito::UserPoolClient', { GenerateSecret: false, AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true });
  });

  it('authorizes the console route with the JWT authorizer, beside the IAM-authorized CLI route', () => {
    // Assess
    service.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
    service.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: `ANY ${CONSOLE_API_ROUTE}`, AuthorizationType: 'JWT' });
    service.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /operator/{proxy+}', AuthorizationType: 'AWS_IAM' });
  });

  it('deploys the built files with a config.json naming the sign-in and the API path (no secret)', () => {
    // Assess
    const deployments = Object.values(service.findResources('Custom::CDKBucketDeployment'));
    expect(deployments).toHaveLength(1);
    const text = JSON.stringify(deployments[0]!.Properties);
    expect(text).toContain('config.json');
    expect(text).not.toMatch(/secret/i);
  });
});
