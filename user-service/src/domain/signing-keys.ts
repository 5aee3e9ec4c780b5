import { createPrivateKey, createPublicKey, type JsonWebKey } from 'node:crypto';
import { keyIdOf, type SigningKey } from '@escalable/shop-sdk/internal';
import { ConfigError } from '@escalable/shop-sdk/server';

export interface SigningKeys {
  /** The key new access tokens are signed with. */
  current: SigningKey;
  /** Public keys by kid: the current one and retired ones whose tokens may still be alive. */
  publicKeys: ReadonlyMap<string, string>;
  /** The same keys as a JWKS, for the services that verify tokens. */
  jwks: { keys: JsonWebKey[] };
}

const PUBLIC_KEY_PEM = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g;

export function loadSigningKeys(privateKeyPem: string, retiredPublicKeysPem = ''): SigningKeys {
  const privateKey = readPem('JWT_PRIVATE_KEY', () => createPrivateKey(privateKeyPem));
  if (privateKey.asymmetricKeyType !== 'rsa')
    throw new ConfigError('invalid configuration: JWT_PRIVATE_KEY must be an RSA key');
  const currentPublic = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  const pems = [currentPublic, ...(retiredPublicKeysPem.match(PUBLIC_KEY_PEM) ?? [])];
  const publicKeys = new Map(
    pems.map((pem) => [readPem('JWT_RETIRED_PUBLIC_KEYS', () => keyIdOf(pem)), pem]),
  );
  return {
    current: { privateKey, kid: keyIdOf(currentPublic) },
    publicKeys,
    jwks: {
      keys: [...publicKeys].map(([kid, pem]) => ({
        ...createPublicKey(pem).export({ format: 'jwk' }),
        kid,
        alg: 'RS256',
        use: 'sig',
      })),
    },
  };
}

/** A key that does not parse stops the start with one line naming its variable, never its value. */
function readPem<T>(variable: string, read: () => T): T {
  try {
    return read();
  } catch {
    throw new ConfigError(`invalid configuration: ${variable} is not a readable PEM key`);
  }
}
