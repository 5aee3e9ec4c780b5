import argon2 from 'argon2';
import pLimit from 'p-limit';
import { Problem } from '@escalable/shop-sdk';

/**
 * argon2id with the OWASP Password Storage Cheat Sheet's first recommended setting
 * (m = 19 MiB, t = 2, p = 1). Stored hashes carry their parameters, so raising these later
 * still verifies old hashes.
 */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

let decoyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. Without an account, it still spends the same time on a
 * decoy hash, so response times do not tell which e-mails have accounts.
 */
export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  if (storedHash === undefined) {
    decoyHash ??= hashPassword('decoy password that matches nothing');
    await argon2.verify(await decoyHash, password);
    return false;
  }
  return argon2.verify(storedHash, password);
}

export interface PasswordHashingLimits {
  /** argon2 computations at once in this instance (each holds 19 MiB and a libuv thread). */
  concurrency: number;
  /** Computations allowed to wait for a turn; past it the request is refused at once. */
  queue: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(storedHash: string | undefined, password: string): Promise<boolean>;
}

/**
 * Hashing and checking through a small pool with a bounded queue: a flood of password checks waits
 * its turn or is refused with 503, instead of queueing without end ahead of everyone else's sign-in.
 */
export function createPasswordHasher(limits: PasswordHashingLimits): PasswordHasher {
  const limit = pLimit(limits.concurrency);
  const inTurn = async <T>(work: () => Promise<T>): Promise<T> => {
    if (limit.pendingCount >= limits.queue) {
      throw new Problem({
        status: 503,
        type: 'busy',
        title: 'The service is busy',
        detail: 'Too many password checks are waiting; try again in a moment',
        extensions: { retryAfter: 1 },
      });
    }
    return limit(work);
  };
  return {
    hash: (password) => inTurn(() => hashPassword(password)),
    verify: (storedHash, password) => inTurn(() => verifyPassword(storedHash, password)),
  };
}
