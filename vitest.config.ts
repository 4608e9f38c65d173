/**
 * Four test projects. `npm test` runs them all; `npm run test:unit` (or `vitest run --project NAME`)
 * runs one.
 *   unit      test/unit: pure code and in-memory fakes; starts no Java (no DynamoDB Local).
 *   adapters  test/adapters: the DynamoDB adapters and the operator API over DynamoDB Local.
 *   infra     test/infra: CDK synth, assertions and cdk-nag; no DynamoDB Local.
 *   e2e       test/e2e: the local stack end to end (DynamoDB Local, local SES, state machines).
 * The projects that need DynamoDB Local share one instance (test/global-setup.ts).
 */
import { defineConfig } from 'vitest/config';

const DYNAMO = ['test/global-setup.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Refusals are logged at WARN; the fuzz and bad-input tests make hundreds on purpose and assert on the answers, not the log.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', LOG_LEVEL: 'ERROR' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'adapters', include: ['test/adapters/**/*.test.ts'], globalSetup: DYNAMO } },
      { extends: true, test: { name: 'infra', include: ['test/infra/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: DYNAMO } },
    ],
  },
});
