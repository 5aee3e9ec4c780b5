import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Problem, problems } from '@escalable/shop-sdk';
import {
  claimCheckoutKey,
  readCheckoutKey,
  releaseCheckoutKey,
  storeCheckoutAnswer,
} from '../db/checkout-keys.js';

export interface StoredAnswer<T> {
  status: number;
  body: T;
}

const POLL_MS = 50;

/**
 * Runs a checkout once per customer and Idempotency-Key, across instances: the key is claimed first
 * (a primary key decides a race), the answer is stored, and a repeat with the same body is answered
 * with it. A request that finds the key held by a checkout still running waits for its answer, up to
 * `waitMs`, then gets a 409. A checkout that fails frees the key, since it undid everything: a retry
 * with the same key checks out afresh. The same key with another body is a 422.
 */
export async function answerOnce<T>(
  customerId: string,
  key: string,
  request: unknown,
  waitMs: number,
  work: () => Promise<StoredAnswer<T>>,
): Promise<StoredAnswer<T>> {
  const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await claimCheckoutKey(customerId, key, requestHash)) {
      try {
        const answer = await work();
        await storeCheckoutAnswer(customerId, key, answer.status, answer.body);
        return answer;
      } catch (error) {
        await releaseCheckoutKey(customerId, key);
        throw error;
      }
    }
    const held = await readCheckoutKey(customerId, key);
    if (!held) continue;
    if (held.requestHash !== requestHash) throw keyReused();
    if (held.responseStatus !== null) return { status: held.responseStatus, body: held.response as T };
    if (Date.now() > deadline)
      throw problems.conflict(
        'checkout-in-progress',
        'A checkout with this Idempotency-Key is still running; repeat the request to get its answer',
      );
    await sleep(POLL_MS);
  }
}

const keyReused = () =>
  new Problem({
    status: 422,
    type: 'idempotency-key-reused',
    title: 'The Idempotency-Key was used for another request',
    detail: 'This Idempotency-Key was sent with another body; use a new key for a new checkout',
  });
