import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Transaction } from 'sequelize';
import { problems, type TokenPair } from '@escalable/shop-sdk';
import { signAccessToken } from '@escalable/shop-sdk/internal';
import { User, UserRole } from '../db/models.js';
import {
  findRefreshToken,
  insertRefreshToken,
  lockFamilyOfToken,
  markRotated,
  openFamilyIfPasswordIs,
  revokeFamily,
} from '../db/session-families.js';
import type { SigningKeys } from './signing-keys.js';
import { claimsFor } from './user-view.js';

export interface SessionSettings {
  keys: SigningKeys;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const invalidRefreshToken = () => problems.unauthorized('The refresh token is invalid or expired');
export const wrongCredentials = () => problems.unauthorized('The e-mail or the password is wrong');

/*
 * Access tokens are short-lived JWTs; refresh tokens are random, stored hashed, and single-use: each
 * refresh spends one and issues the next in the same family. Presenting a spent token means it was
 * stolen or replayed, so the whole family is revoked.
 */

/**
 * Opens a new family for a sign-in whose password was just checked against `user.passwordHash`
 * (`user` with its roles loaded). A password change that won the race turns it into a wrong password.
 */
export async function startSession(
  settings: SessionSettings,
  user: User,
  transaction: Transaction,
): Promise<TokenPair> {
  const familyId = randomUUID();
  if (!(await openFamilyIfPasswordIs(familyId, user.id, user.passwordHash, transaction))) {
    throw wrongCredentials();
  }
  return issueTokens(settings, user, familyId, transaction);
}

/** Spends a refresh token for a new pair; a spent one revokes its whole family. */
export async function refreshSession(settings: SessionSettings, refreshToken: string): Promise<TokenPair> {
  const tokenHash = hashToken(refreshToken);
  const outcome = await User.sequelize!.transaction(async (transaction) => {
    const family = await lockFamilyOfToken(tokenHash, transaction);
    const stored = family && !family.revoked && (await findRefreshToken(tokenHash, transaction));
    if (!family || !stored || stored.expiresAt <= new Date()) return { kind: 'invalid' } as const;
    if (stored.rotated) {
      await revokeFamily(family.id, transaction);
      return { kind: 'reused' } as const;
    }
    await markRotated(stored.id, transaction);
    const user = await User.findByPk(family.userId, {
      include: [{ model: UserRole, as: 'roles' }],
      transaction,
    });
    if (!user) return { kind: 'invalid' } as const;
    return { kind: 'rotated', tokens: await issueTokens(settings, user, family.id, transaction) } as const;
  });
  if (outcome.kind === 'rotated') return outcome.tokens;
  if (outcome.kind === 'reused') {
    throw problems.unauthorized('The refresh token was already used; this sign-in has been revoked');
  }
  throw invalidRefreshToken();
}

/** Signs out: the presented token's whole family stops working. Unknown tokens change nothing. */
export async function signOut(refreshToken: string): Promise<void> {
  await User.sequelize!.transaction(async (transaction) => {
    const family = await lockFamilyOfToken(hashToken(refreshToken), transaction);
    if (!family) throw invalidRefreshToken();
    await revokeFamily(family.id, transaction);
  });
}

async function issueTokens(
  settings: SessionSettings,
  user: User,
  familyId: string,
  transaction: Transaction,
): Promise<TokenPair> {
  const { keys, accessTokenTtlSeconds, refreshTokenTtlDays } = settings;
  const refreshToken = randomBytes(32).toString('base64url');
  const refreshTtlSeconds = refreshTokenTtlDays * 86_400;
  await insertRefreshToken(
    {
      id: randomUUID(),
      familyId,
      userId: user.id,
      tokenHash: hashToken(refreshToken),
      expiresAt: new Date(Date.now() + refreshTtlSeconds * 1000),
    },
    transaction,
  );
  return {
    tokenType: 'Bearer',
    accessToken: signAccessToken(claimsFor(user), keys.current, accessTokenTtlSeconds),
    expiresIn: accessTokenTtlSeconds,
    refreshToken,
    refreshExpiresIn: refreshTtlSeconds,
  };
}
