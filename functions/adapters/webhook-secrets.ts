/** Reads the webhook signing-secret document from Secrets Manager (once per cold start). */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

let client: SecretsManagerClient | undefined;

export async function readSecretString(secretId: string, given?: SecretsManagerClient): Promise<string> {
  client ??= new SecretsManagerClient({});
  const sm = given ?? client;
  const out = await sm.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (out.SecretString === undefined) throw new Error(`secret ${secretId} has no string value`);
  return out.SecretString;
}
