/**
 * SES sending: the configuration set (bounces and complaints to EventBridge), the identity to verify,
 * and the one grant that lets a function send letters from that identity through that set.
 */
import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { ClaimflowConfig } from '../config.js';

export interface LetterEmailProps {
  prefix: string;
  config: Pick<ClaimflowConfig, 'sesIdentity' | 'sesIdentityKind' | 'sesFromAddress'>;
}

export class LetterEmail extends Construct {
  /** The literal name (not the resource's Ref): it goes into IAM, the event rule and the environment. */
  readonly configurationSetName: string;
  readonly configurationSet: ses.ConfigurationSet;
  readonly emailIdentity: ses.EmailIdentity;
  readonly identityArn: string;
  readonly configurationSetArn: string;
  private readonly fromAddress: string;

  constructor(scope: Construct, id: string, props: LetterEmailProps) {
    super(scope, id);
    const cfg = props.config;
    this.fromAddress = cfg.sesFromAddress;
    const configurationSetName = (this.configurationSetName = `${props.prefix}-letters`);
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName,
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
    });
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      configurationSetEventDestinationName: 'bounces-and-complaints',
      // EventBridge (default bus; the only bus SES publishes to): no topic to encrypt, and the rule
      // target (infra/constructs/triggers.ts) gets its own retry policy and DLQ.
      destination: ses.EventDestination.eventBus(events.EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      // SEND: the record of which letters SES accepted (settles a letter a crash left `sending`; issue 12).
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT, ses.EmailSendingEvent.SEND],
    });
    this.emailIdentity = new ses.EmailIdentity(this, 'EmailIdentity', {
      identity: cfg.sesIdentityKind === 'domain' ? ses.Identity.domain(cfg.sesIdentity) : ses.Identity.email(cfg.sesIdentity),
      configurationSet: this.configurationSet,
    });
    const stack = Stack.of(this);
    this.identityArn = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: cfg.sesIdentity });
    this.configurationSetArn = stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSetName });
  }

  /** ses:SendEmail / SendRawEmail, only from the configured identity and through the configuration set. */
  grantSend(fn: lambda.IFunction): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SendLettersFromTheClaimflowIdentity',
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [this.identityArn, this.configurationSetArn],
        conditions: { StringEquals: { 'ses:FromAddress': this.fromAddress } },
      }),
    );
  }
}
