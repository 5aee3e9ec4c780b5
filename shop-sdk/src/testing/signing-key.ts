import { generateKeyPairSync } from 'node:crypto';
import { keyIdOf, signAccessToken, type AccessClaims } from '../auth/access-token.js';
import { ROLE_PERMISSIONS, type Role } from '../auth/permissions.js';

export interface TestSigningKey {
  privateKeyPem: string;
  publicKeyPem: string;
  kid: string;
  /** An access token as user-service would issue it, for a user with these roles. */
  tokenFor(user: { id: string; email?: string; roles: Role[] }, ttlSeconds?: number): string;
}

/** A fresh RS256 key pair, so a service's tests can sign in users without running user-service. */
export function createTestSigningKey(): TestSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const kid = keyIdOf(publicKey);
  return {
    privateKeyPem: privateKey,
    publicKeyPem: publicKey,
    kid,
    tokenFor(user, ttlSeconds = 300) {
      const claims: AccessClaims = {
        sub: user.id,
        email: user.email ?? `${user.id}@example.test`,
        roles: user.roles,
        permissions: [...new Set(user.roles.flatMap((role) => ROLE_PERMISSIONS[role]))],
      };
      return signAccessToken(claims, { privateKey, kid }, ttlSeconds);
    },
  };
}
