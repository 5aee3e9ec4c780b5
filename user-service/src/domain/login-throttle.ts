import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { Sequelize } from 'sequelize';
import { problems } from '@escalable/shop-sdk';

export interface LoginThrottleSettings {
  failuresPerAccount: number;
  failuresPerIp: number;
  windowSeconds: number;
}

/**
 * Counts failed logins per account and per client IP in PostgreSQL, so every instance behind the
 * gateway sees the same counts. Past either limit, logins are refused until the window passes.
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
    this.byAccount = new RateLimiterPostgres({
      ...common,
      keyPrefix: 'account',
      points: settings.failuresPerAccount,
    });
    this.byIp = new RateLimiterPostgres({ ...common, keyPrefix: 'ip', points: settings.failuresPerIp });
  }

  async assertAllowed(email: string, ip: string): Promise<void> {
    const [account, client] = await Promise.all([this.byAccount.get(email), this.byIp.get(ip)]);
    const blocked = [
      { state: account, limit: this.byAccount.points },
      { state: client, limit: this.byIp.points },
    ].filter(({ state, limit }) => state !== null && state.consumedPoints >= limit);
    if (blocked.length > 0) {
      const waitMs = Math.max(...blocked.map(({ state }) => state!.msBeforeNext));
      throw problems.tooManyRequests('Too many failed logins; try again later', Math.ceil(waitMs / 1000));
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    await Promise.all([this.byAccount.penalty(email), this.byIp.penalty(ip)]);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.byAccount.delete(email);
  }
}
