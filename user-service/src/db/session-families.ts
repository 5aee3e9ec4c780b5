import { QueryTypes, type Transaction } from 'sequelize';
import { User } from './models.js';

/**
 * A session family is one sign-in: the chain of refresh tokens its rotations issued. Every change to a
 * sign-in (rotation, sign-out, reuse detection, password or role change) takes the family's row lock,
 * so they happen one after the other and a revocation cannot miss a token minted beside it.
 */
export interface LockedFamily {
  id: string;
  userId: string;
  revoked: boolean;
}

export interface StoredRefreshToken {
  id: string;
  expiresAt: Date;
  rotated: boolean;
}

export interface NewRefreshToken {
  id: string;
  familyId: string;
  userId: string;
  tokenHash: string;
  expiresAt: Date;
}

const sequelize = () => User.sequelize!;

// Values travel as bind parameters, never spliced into the SQL text: the text is what a trace-level
// log line shows, and it must not carry a password hash.

/** Locks the family of the token with this hash; undefined for a token never issued. */
export async function lockFamilyOfToken(
  tokenHash: string,
  transaction: Transaction,
): Promise<LockedFamily | undefined> {
  const [row] = await sequelize().query<{ id: string; user_id: string; revoked: boolean }>(
    `SELECT id, user_id, revoked_at IS NOT NULL AS revoked FROM session_families
      WHERE id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $tokenHash)
      FOR UPDATE`,
    { bind: { tokenHash }, type: QueryTypes.SELECT, transaction },
  );
  return row && { id: row.id, userId: row.user_id, revoked: row.revoked };
}

/** Read after {@link lockFamilyOfToken}, so it sees the last rotation committed before the lock. */
export async function findRefreshToken(
  tokenHash: string,
  transaction: Transaction,
): Promise<StoredRefreshToken | undefined> {
  const [row] = await sequelize().query<{ id: string; expires_at: Date; rotated: boolean }>(
    `SELECT id, expires_at, rotated_at IS NOT NULL AS rotated FROM refresh_tokens WHERE token_hash = $tokenHash`,
    { bind: { tokenHash }, type: QueryTypes.SELECT, transaction },
  );
  return row && { id: row.id, expiresAt: new Date(row.expires_at), rotated: row.rotated };
}

/**
 * Opens a family only while the user's password is still the one just checked. It holds the user row
 * in share mode, so a password change committing meanwhile makes this insert nothing, and one that
 * starts later waits for this sign-in and then revokes it.
 */
export async function openFamilyIfPasswordIs(
  familyId: string,
  userId: string,
  passwordHash: string,
  transaction: Transaction,
): Promise<boolean> {
  const [, inserted] = await sequelize().query(
    `INSERT INTO session_families (id, user_id)
       SELECT $familyId::uuid, id FROM users WHERE id = $userId AND password_hash = $passwordHash FOR SHARE`,
    { bind: { familyId, userId, passwordHash }, type: QueryTypes.INSERT, transaction },
  );
  return inserted === 1;
}

export async function insertRefreshToken(token: NewRefreshToken, transaction: Transaction): Promise<void> {
  await sequelize().query(
    `INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at)
       VALUES ($id, $familyId, $userId, $tokenHash, $expiresAt)`,
    { bind: { ...token }, type: QueryTypes.INSERT, transaction },
  );
}

export async function markRotated(tokenId: string, transaction: Transaction): Promise<void> {
  await sequelize().query('UPDATE refresh_tokens SET rotated_at = now() WHERE id = $tokenId', {
    bind: { tokenId },
    type: QueryTypes.UPDATE,
    transaction,
  });
}

export async function revokeFamily(familyId: string, transaction: Transaction): Promise<void> {
  await sequelize().query(
    'UPDATE session_families SET revoked_at = now() WHERE id = $familyId AND revoked_at IS NULL',
    { bind: { familyId }, type: QueryTypes.UPDATE, transaction },
  );
}

/** Every sign-in of a user; waits for a rotation in flight in any of them, then revokes it too. */
export async function revokeFamiliesOf(userId: string, transaction: Transaction): Promise<void> {
  await sequelize().query(
    // Locked in id order, so a password change and a role change of one user cannot deadlock.
    `UPDATE session_families SET revoked_at = now()
      WHERE id IN (SELECT id FROM session_families WHERE user_id = $userId AND revoked_at IS NULL
                    ORDER BY id FOR UPDATE)`,
    { bind: { userId }, type: QueryTypes.UPDATE, transaction },
  );
}
