import { createHash } from 'node:crypto';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Sequelize } from 'sequelize';
import { problems } from '@escalable/shop-sdk';

/*
 * Counters live in PostgreSQL (rate-limiter-flexible's layout, table login_failures), so every
 * instance behind the gateway sees the same counts. Keys are stored hashed: an e-mail or a forwarded
 * address can be longer than the key column, and the table then holds no addresses in the clear.
 */
const keyOf = (...parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('base64url');

function postgresCounter(sequelize: Sequelize, keyPrefix: string, points: number, duration: number) {
  return new RateLimiterPostgres({
    storeClient: sequelize,
    storeType: 'sequelize',
    tableName: 'login_failures',
    tableCreated: true,
    keyPrefix,
    points,
    duration,
  });
}

/** Counts one attempt, or refuses it with 429 when the counter is past its limit. */
async function consume(
  counter: RateLimiterPostgres,
  key: string,
  refusal: string,
  options?: { customDuration: number },
): Promise<void> {
  try {
    await counter.consume(key, 1, options);
  } catch (reason) {
    if (!(reason instanceof RateLimiterRes)) throw reason;
    throw problems.tooManyRequests(refusal, Math.max(1, Math.ceil(reason.msBeforeNext / 1000)));
  }
}

export interface LoginThrottleSettings {
  /** Failures of one account from one address before that pair is refused for the window. */
  failuresPerAccountAndAddress: number;
  /** Failures from one address, over any accounts, before the address is refused for the window. */
  failuresPerAddress: number;
  windowSeconds: number;
  /** Failures of one account, from any address, within an hour before each attempt must wait. */
  failuresPerAccountBeforeDelay: number;
}

const ACCOUNT_WINDOW_SECONDS = 3600;
const LONGEST_ACCOUNT_DELAY_SECONDS = 60;

export interface LoginThrottle {
  /**
   * Runs one password check under the limits and returns its verdict. The attempt is counted before
   * the check, so parallel guesses cannot all slip in before the first failure is recorded; a right
   * password gives its attempt back and clears its account-and-address pair.
   */
  attempt(account: string, address: string, check: () => Promise<boolean>): Promise<boolean>;
}

/**
 * OWASP's layered limits. The account-and-address pair locks fast: that is one client guessing one
 * password. The address has a wider limit over every account it tries. The account as a whole never
 * locks (strangers could then lock its owner out); past a threshold its attempts are spaced by a delay
 * that doubles with each failure up to a minute, which keeps a spread-out guesser to about one guess a
 * minute while the owner waits at most that long.
 */
export function createLoginThrottle(sequelize: Sequelize, settings: LoginThrottleSettings): LoginThrottle {
  const byPair = postgresCounter(
    sequelize,
    'pair',
    settings.failuresPerAccountAndAddress,
    settings.windowSeconds,
  );
  const byAddress = postgresCounter(sequelize, 'ip', settings.failuresPerAddress, settings.windowSeconds);
  const byAccount = postgresCounter(
    sequelize,
    'account',
    settings.failuresPerAccountBeforeDelay,
    ACCOUNT_WINDOW_SECONDS,
  );
  // One attempt per delay: the first attempt takes the slot and holds it for the delay it was given.
  const accountSlot = postgresCounter(sequelize, 'account-slot', 1, 1);

  async function awaitAccountTurn(accountKey: string): Promise<void> {
    const counted = await byAccount.consume(accountKey).catch((reason: unknown) => {
      if (reason instanceof RateLimiterRes) return reason;
      throw reason;
    });
    const overThreshold = counted.consumedPoints - settings.failuresPerAccountBeforeDelay;
    if (overThreshold <= 0) return;
    const delaySeconds = Math.min(2 ** (overThreshold - 1), LONGEST_ACCOUNT_DELAY_SECONDS);
    await consume(accountSlot, accountKey, 'Too many failed logins on this account; try again shortly', {
      customDuration: delaySeconds,
    }).catch(async (refusal: unknown) => {
      // A refused attempt was never checked, so it does not lengthen the next delay.
      await byAccount.reward(accountKey, 1);
      throw refusal;
    });
  }

  return {
    async attempt(account, address, check) {
      const pairKey = keyOf(account, address);
      const accountKey = keyOf(account);
      const addressKey = keyOf(address);
      // One after the other, so attempts refused for the pair do not also use up the address's limit,
      // which everyone behind that address shares.
      await consume(byPair, pairKey, 'Too many failed logins; try again later');
      await consume(byAddress, addressKey, 'Too many failed logins from this address; try again later');
      await awaitAccountTurn(accountKey);
      const giveBack = () =>
        Promise.all([
          byPair.reward(pairKey, 1),
          byAddress.reward(addressKey, 1),
          byAccount.reward(accountKey, 1),
        ]);
      // A check that could not run (the hashing queue was full) was no guess.
      const right = await check().catch(async (error: unknown) => {
        await giveBack();
        throw error;
      });
      if (right) {
        await giveBack();
        await byPair.delete(pairKey);
      }
      return right;
    },
  };
}

export interface RegistrationThrottle {
  /** Counts one sign-up attempt from the address, or refuses it with 429 past the limit. */
  countAttempt(address: string): Promise<void>;
}

/**
 * Sign-ups per address. A taken e-mail answers 409 so people learn why their sign-up failed; this
 * limit keeps that answer from being a fast way to learn which e-mails have accounts.
 */
export function createRegistrationThrottle(
  sequelize: Sequelize,
  settings: { perAddress: number; windowSeconds: number },
): RegistrationThrottle {
  const byAddress = postgresCounter(sequelize, 'register-ip', settings.perAddress, settings.windowSeconds);
  return {
    countAttempt: (address) =>
      consume(byAddress, keyOf(address), 'Too many sign-ups from this address; try again later'),
  };
}
