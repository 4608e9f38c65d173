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
  config: Pick<ClaimflowConfig, 'sesIdentity' | 'sesIdentityKind' | 'sesFromAddress' | 'sesSandboxRecipients'>;
}

export class LetterEmail extends Construct {
  /** The literal name (not the resource's Ref): it goes into IAM, the event rule and the environment. */
  readonly configurationSetName: string;
  readonly configurationSet: ses.ConfigurationSet;
  readonly emailIdentity: ses.EmailIdentity;
  readonly identityArn: string;
  readonly configurationSetArn: string;
  /** Verified recipient identities (SES sandbox: SES authorizes each recipient identity too). */
  readonly recipientIdentityArns: string[];
  /** The sender of every letter, exactly as configured. */
  readonly fromAddress: string;

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
    this.recipientIdentityArns = cfg.sesSandboxRecipients.map((r) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: r }));
  }

  /**
   * ses:SendRawEmail (the only call the mailer makes), only from the configured sender and through the
   * configuration set. Email addresses compare without regard to case (the mailer writes the domain
   * in lower case), hence StringEqualsIgnoreCase. In the SES sandbox SES also authorizes each
   * recipient's identity: those listed in claimflow:sesSandboxRecipients are added.
   */
  grantSend(fn: lambda.IFunction): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SendLettersFromTheClaimflowIdentity',
        actions: ['ses:SendRawEmail'],
        resources: [this.identityArn, this.configurationSetArn, ...this.recipientIdentityArns],
        conditions: { StringEqualsIgnoreCase: { 'ses:FromAddress': this.fromAddress } },
      }),
    );
  }
}
