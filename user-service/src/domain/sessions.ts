import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import { problems, signAccessToken, type TokenPair } from '@escalable/shop-sdk';
import { RefreshToken, User, UserRole } from '../db/models.js';
import type { SigningKeys } from './signing-keys.js';
import { claimsFor } from './user-view.js';

export interface SessionSettings {
  keys: SigningKeys;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const invalidRefreshToken = () => problems.unauthorized('The refresh token is invalid or expired');

/**
 * Access tokens are short-lived JWTs; refresh tokens are random, stored hashed, and single-use: each
 * refresh spends one and issues the next in the same family. Presenting a spent token means it was
 * stolen or replayed, so the whole family is revoked.
 */
export class Sessions {
  constructor(private readonly settings: SessionSettings) {}

  /** Opens a new family for a fresh sign-in. `user` must have its roles loaded. */
  start(user: User, transaction: Transaction): Promise<TokenPair> {
    return this.issue(user, randomUUID(), transaction);
  }

  async rotate(refreshToken: string): Promise<TokenPair> {
    const sequelize = RefreshToken.sequelize!;
    const outcome = await sequelize.transaction(async (transaction) => {
      // The row lock makes two concurrent refreshes with one token see each other: the second is a reuse.
      const stored = await RefreshToken.findOne({
        where: { tokenHash: hashToken(refreshToken) },
        lock: transaction.LOCK.UPDATE,
        transaction,
      });
      if (!stored || stored.revokedAt || stored.expiresAt <= new Date()) return { kind: 'invalid' } as const;
      if (stored.rotatedAt) {
        await this.revokeFamily(stored.familyId, transaction);
        return { kind: 'reused' } as const;
      }
      stored.rotatedAt = new Date();
      await stored.save({ transaction });
      const user = await User.findByPk(stored.userId, {
        include: [{ model: UserRole, as: 'roles' }],
        transaction,
      });
      if (!user) return { kind: 'invalid' } as const;
      return { kind: 'rotated', tokens: await this.issue(user, stored.familyId, transaction) } as const;
    });
    if (outcome.kind === 'rotated') return outcome.tokens;
    if (outcome.kind === 'reused') {
      throw problems.unauthorized('The refresh token was already used; this sign-in has been revoked');
    }
    throw invalidRefreshToken();
  }

  /** Signs out: the presented token's whole family stops working. Unknown tokens change nothing. */
  async revoke(refreshToken: string): Promise<void> {
    const stored = await RefreshToken.findOne({ where: { tokenHash: hashToken(refreshToken) } });
    if (!stored) throw invalidRefreshToken();
    await RefreshToken.sequelize!.transaction((transaction) =>
      this.revokeFamily(stored.familyId, transaction)
    );
  }

  /** Ends every sign-in of a user (after a password change). */
  async revokeAllOf(userId: string, transaction: Transaction): Promise<void> {
    await RefreshToken.update(
      { revokedAt: new Date() },
      { where: { userId, revokedAt: { [Op.is]: null } }, transaction }
    );
  }

  private async revokeFamily(familyId: string, transaction: Transaction): Promise<void> {
    await RefreshToken.update(
      { revokedAt: new Date() },
      { where: { familyId, revokedAt: { [Op.is]: null } }, transaction }
    );
  }

  private async issue(user: User, familyId: string, transaction: Transaction): Promise<TokenPair> {
    const { keys, accessTokenTtlSeconds, refreshTokenTtlDays } = this.settings;
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshTtlSeconds = refreshTokenTtlDays * 86_400;
    await RefreshToken.create(
      {
        id: randomUUID(),
        userId: user.id,
        familyId,
        tokenHash: hashToken(refreshToken),
        expiresAt: new Date(Date.now() + refreshTtlSeconds * 1000),
        rotatedAt: null,
        revokedAt: null,
      },
      { transaction }
    );
    return {
      tokenType: 'Bearer',
      accessToken: signAccessToken(claimsFor(user), keys.current, accessTokenTtlSeconds),
      expiresIn: accessTokenTtlSeconds,
      refreshToken,
      refreshExpiresIn: refreshTtlSeconds,
    };
  }
}
