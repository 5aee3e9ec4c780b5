import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
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
    throw problems.tooManyRequests(refusal, secondsOf(reason.msBeforeNext));
  }
}

const secondsOf = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * The longest an attempt waits for checks in flight when they hold the slots the failures leave
 * free; a check runs in well under a second, so past this something is stuck and the attempt is
 * asked to come back in a second.
 */
const IN_FLIGHT_WAIT_MS = 3_000;
const IN_FLIGHT_POLL_MS = 50;

/**
 * A limit on failures, kept as two counters of one key. `attempts` holds failures plus checks still
 * in flight and is the gate: one atomic upsert before each check, so guesses sent all at once get no
 * more checks than the limit, on every instance. `failures` holds failures alone and tells a key past
 * its limit (refused at once) from one whose slots are held by checks that may yet prove right.
 */
interface FailureLimit {
  attempts: RateLimiterPostgres;
  failures: RateLimiterPostgres;
  limit: number;
}

function failureLimit(
  sequelize: Sequelize,
  keyPrefix: string,
  limit: number,
  windowSeconds: number,
): FailureLimit {
  return {
    attempts: postgresCounter(sequelize, keyPrefix, limit, windowSeconds),
    failures: postgresCounter(sequelize, `${keyPrefix}-failed`, limit, windowSeconds),
    limit,
  };
}

type Turn = { admitted: true } | { admitted: false; attempts: number; retryAfterSeconds: number };

/**
 * Takes one of the key's slots before a check. When the slots are full only because checks are still
 * in flight, it waits for them: a right password gives its slot back, so concurrent right logins all
 * get their turn, while concurrent guesses wait until the failures fill the limit and are refused. An
 * attempt not admitted stays counted; the caller gives it back or spends it.
 */
async function takeTurn(limit: FailureLimit, key: string): Promise<Turn> {
  const deadline = Date.now() + IN_FLIGHT_WAIT_MS;
  for (;;) {
    const counted = await limit.attempts.penalty(key, 1);
    if (counted.consumedPoints <= limit.limit) return { admitted: true };
    const failures = (await limit.failures.get(key))?.consumedPoints ?? 0;
    const pastLimit = failures >= limit.limit;
    if (pastLimit || Date.now() >= deadline) {
      return {
        admitted: false,
        attempts: counted.consumedPoints,
        retryAfterSeconds: pastLimit ? secondsOf(counted.msBeforeNext) : 1,
      };
    }
    await limit.attempts.reward(key, 1);
    await sleep(IN_FLIGHT_POLL_MS * (0.5 + Math.random()));
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
   * Runs one password check under the limits and returns its verdict. Only failures count against
   * the limits, but a check holds its slot while it runs, so parallel guesses cannot all slip in
   * before the first failure is recorded; a right password gives its slot back and clears its
   * account-and-address pair.
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
  const byPair = failureLimit(
    sequelize,
    'pair',
    settings.failuresPerAccountAndAddress,
    settings.windowSeconds,
  );
  const byAddress = failureLimit(sequelize, 'ip', settings.failuresPerAddress, settings.windowSeconds);
  const byAccount = failureLimit(
    sequelize,
    'account',
    settings.failuresPerAccountBeforeDelay,
    ACCOUNT_WINDOW_SECONDS,
  );
  // One attempt per delay: the first attempt takes the slot and holds it for the delay it was given.
  const accountSlot = postgresCounter(sequelize, 'account-slot', 1, 1);

  async function enter(limit: FailureLimit, key: string, refusal: string): Promise<void> {
    const turn = await takeTurn(limit, key);
    if (turn.admitted) return;
    await limit.attempts.reward(key, 1);
    throw problems.tooManyRequests(refusal, turn.retryAfterSeconds);
  }

  async function awaitAccountTurn(accountKey: string): Promise<void> {
    const turn = await takeTurn(byAccount, accountKey);
    if (turn.admitted) return;
    const overThreshold = turn.attempts - settings.failuresPerAccountBeforeDelay;
    const delaySeconds = Math.min(2 ** (overThreshold - 1), LONGEST_ACCOUNT_DELAY_SECONDS);
    await consume(accountSlot, accountKey, 'Too many failed logins on this account; try again shortly', {
      customDuration: delaySeconds,
    }).catch(async (refusal: unknown) => {
      await byAccount.attempts.reward(accountKey, 1);
      throw refusal;
    });
  }

  /** The owner's right password forgives the failures before it, in both of the pair's counters. */
  async function clearPair(pairKey: string): Promise<void> {
    const [failures, attempts] = await Promise.all([
      byPair.failures.get(pairKey),
      byPair.attempts.get(pairKey),
    ]);
    // The attempts window may have restarted since some of those failures: never below zero.
    const forgiven = Math.min(failures?.consumedPoints ?? 0, attempts?.consumedPoints ?? 0);
    await byPair.failures.delete(pairKey);
    if (forgiven > 0) await byPair.attempts.reward(pairKey, forgiven);
  }

  return {
    async attempt(account, address, check) {
      const pairKey = keyOf(account, address);
      const held: Array<[FailureLimit, string]> = [];
      const giveBack = () => Promise.all(held.map(([limit, key]) => limit.attempts.reward(key, 1)));
      try {
        // One after the other, and given back when a later limit refuses: an attempt never checked
        // counts nowhere, so one refused for the pair does not use up the address everyone behind it shares.
        await enter(byPair, pairKey, 'Too many failed logins; try again later');
        held.push([byPair, pairKey]);
        const addressKey = keyOf(address);
        await enter(byAddress, addressKey, 'Too many failed logins from this address; try again later');
        held.push([byAddress, addressKey]);
        const accountKey = keyOf(account);
        await awaitAccountTurn(accountKey);
        held.push([byAccount, accountKey]);
      } catch (refusal) {
        await giveBack();
        throw refusal;
      }
      // A check that could not run (the hashing queue was full) was no guess.
      const right = await check().catch(async (error: unknown) => {
        await giveBack();
        throw error;
      });
      if (right) {
        await giveBack();
        await clearPair(pairKey);
      } else {
        // The slots stay taken, now as failures; recorded as such so that waiting attempts stop waiting.
        await Promise.all(held.map(([limit, key]) => limit.failures.penalty(key, 1)));
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
