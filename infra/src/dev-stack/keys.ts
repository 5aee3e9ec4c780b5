import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface DevSecrets {
  /** PKCS#8 PEM, RSA 2048: user-service signs access tokens with it. */
  jwtPrivateKey: string;
  serviceSecret: string;
  /** The Twilio sandbox's auth token: notification-service authenticates with it and checks callbacks. */
  twilioAuthToken: string;
  /** The MercadoPago sandbox's access token: payment-service calls the API with it. */
  mercadopagoAccessToken: string;
  /** Signs the MercadoPago sandbox's webhooks: payment-service checks x-signature with it. */
  mercadopagoWebhookSecret: string;
}

/** Created on the first start and kept, so tokens and sessions survive a restart of the stack. */
export async function loadOrCreateSecrets(dataDir: string): Promise<DevSecrets> {
  const [jwtPrivateKey, serviceSecret, twilioAuthToken, mercadopagoAccessToken, mercadopagoWebhookSecret] =
    await Promise.all([
      readOrCreate(
        path.join(dataDir, 'jwt-private.pem'),
        () =>
          generateKeyPairSync('rsa', {
            modulusLength: 2048,
            privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
            publicKeyEncoding: { type: 'spki', format: 'pem' },
          }).privateKey,
      ),
      readOrCreate(path.join(dataDir, 'service-secret'), () => randomBytes(32).toString('base64url')),
      // 32 hex digits, the shape of a real Twilio auth token.
      readOrCreate(path.join(dataDir, 'twilio-auth-token'), () => randomBytes(16).toString('hex')),
      // The shape of a MercadoPago test access token: TEST-<application id>-<date>-<hash>-<user id>.
      readOrCreate(
        path.join(dataDir, 'mercadopago-access-token'),
        () => `TEST-${digits(16)}-${digits(6)}-${randomBytes(16).toString('hex')}-${digits(9)}`,
      ),
      // 64 hex digits, as the secret MercadoPago's webhook settings show.
      readOrCreate(path.join(dataDir, 'mercadopago-webhook-secret'), () => randomBytes(32).toString('hex')),
    ]);
  return {
    jwtPrivateKey,
    serviceSecret: serviceSecret.trim(),
    twilioAuthToken: twilioAuthToken.trim(),
    mercadopagoAccessToken: mercadopagoAccessToken.trim(),
    mercadopagoWebhookSecret: mercadopagoWebhookSecret.trim(),
  };
}

const digits = (count: number) => Array.from({ length: count }, () => randomInt(10)).join('');

async function readOrCreate(file: string, create: () => string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const value = create();
  await writeFile(file, value, { mode: 0o600, flag: 'wx' });
  return value;
}
