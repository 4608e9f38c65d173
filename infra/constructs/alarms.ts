/**
 * Alarms: an encrypted SNS topic (optionally with an email subscription) and a helper that adds an
 * alarm "at least one in five minutes" publishing to it. Other constructs add their alarms through
 * `alarm()`.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** The period and statistic of the "something happened" alarms. */
export const FIVE_MINUTES_SUM = { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM } as const;

export class ClaimflowAlarms extends Construct {
  readonly topic: sns.Topic;
  private readonly prefix: string;
  private readonly action: cwActions.SnsAction;

  constructor(scope: Construct, id: string, props: { prefix: string; alarmEmail?: string }) {
    super(scope, id);
    this.prefix = props.prefix;
    const topicKey = new kms.Key(this, 'TopicKey', {
      description: 'claimflow alarm topic encryption (CloudWatch alarms need a customer-managed key to publish)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    topicKey.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new sns.Topic(this, 'Topic', { topicName: `${props.prefix}-alarms`, displayName: 'claimflow alarms', masterKey: topicKey, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.action = new cwActions.SnsAction(this.topic);
  }

  /** An alarm named `<prefix>-<kebab id>` that fires when `metric` reaches 1, publishing to the topic. */
  alarm(id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm {
    const a = new cloudwatch.Alarm(this, id, {
      alarmName: `${this.prefix}-${id.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`,
      alarmDescription: description,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    a.addAlarmAction(this.action);
    return a;
  }
}
