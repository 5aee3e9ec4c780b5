import { createHash } from 'node:crypto';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Sequelize } from 'sequelize';
import { problems } from '@escalable/shop-sdk';

export interface LoginThrottleSettings {
  failuresPerAccount: number;
  failuresPerIp: number;
  windowSeconds: number;
}

// Keys are stored hashed: an e-mail or a forwarded address can be longer than the key column, and the
// table then holds no addresses in the clear.
const keyOf = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * Counts login attempts per account and per client IP in PostgreSQL, so every instance behind the
 * gateway sees the same counts. An attempt is counted before its password is checked, so parallel
 * guesses cannot all slip in before the first failure is recorded; a successful login gives its
 * attempt back. Past either limit, logins are refused until the window passes.
 */
export class LoginThrottle {
  private readonly byAccount: RateLimiterPostgres;
  private readonly byIp: RateLimiterPostgres;

  constructor(sequelize: Sequelize, settings: LoginThrottleSettings) {
    const common = {
      storeClient: sequelize,
      storeType: 'sequelize',
      tableName: 'login_failures',
      tableCreated: true,
      duration: settings.windowSeconds,
    };
    this.byAccount = new RateLimiterPostgres({ ...common, keyPrefix: 'account', points: settings.failuresPerAccount });
    this.byIp = new RateLimiterPostgres({ ...common, keyPrefix: 'ip', points: settings.failuresPerIp });
  }

  /** Counts one attempt against the account and the IP, or refuses it with 429 past either limit. */
  async countAttempt(email: string, ip: string): Promise<void> {
    const outcomes = await Promise.allSettled([this.byAccount.consume(keyOf(email)), this.byIp.consume(keyOf(ip))]);
    const refusals = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    const storeFailure = refusals.find((reason) => !(reason instanceof RateLimiterRes));
    if (storeFailure) throw storeFailure;
    if (refusals.length > 0) {
      const waitMs = Math.max(...refusals.map((reason) => (reason as RateLimiterRes).msBeforeNext));
      throw problems.tooManyRequests('Too many failed logins; try again later', Math.ceil(waitMs / 1000));
    }
  }

  /** A right password: the account starts afresh, and the IP gets its attempt back. */
  async recordSuccess(email: string, ip: string): Promise<void> {
    await Promise.all([this.byAccount.delete(keyOf(email)), this.byIp.reward(keyOf(ip), 1)]);
  }
}
