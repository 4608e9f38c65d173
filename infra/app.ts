/**
 * CDK app entry (cdk.json: "app": "npx tsx infra/app.ts"). Configuration comes from context
 * (`-c claimflow:key=value`, see infra/config.ts and docs/deploy.md); cdk-nag's AwsSolutions pack
 * runs on every synth, so `cdk synth` fails on an unacknowledged finding.
 */
import { App } from 'aws-cdk-lib';
import { buildClaimflow } from './claimflow.js';
import { ConfigError } from './config.js';

const app = new App();
try {
  buildClaimflow(app);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
app.synth();
