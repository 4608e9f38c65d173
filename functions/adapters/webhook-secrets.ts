/**
 * The webhook signing-secret document from Secrets Manager, cached for a TTL (Powertools Parameters):
 * a warm instance re-reads it after `ttlSeconds`, so a rotated key is used within minutes without a
 * redeploy (docs/deploy.md, "Rotating a webhook secret").
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';

export interface SecretSource {
  /** The secret string, from the cache while it is younger than the TTL. */
  current(): Promise<string>;
}

export function createSecretSource(client: SecretsManagerClient, secretId: string, ttlSeconds: number): SecretSource {
  const provider = new SecretsProvider({ awsSdkV3Client: client });
  return {
    async current() {
      const value = await provider.get(secretId, { maxAge: ttlSeconds });
      if (typeof value !== 'string') throw new Error(`secret ${secretId} has no string value`);
      return value;
    },
  };
}
