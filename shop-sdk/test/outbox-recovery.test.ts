import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import type { Request, Response } from 'express';
import type { Sequelize } from 'sequelize';
import { HttpClient } from '../src/internal.js';
import type { OutboxMessage } from '../src/server/index.js';
import { freePort } from '../src/testing/index.js';
import {
  accept,
  enqueueCommitted,
  notificationStandIn,
  outboxDatabase,
  outboxRows,
  singleAttemptClient,
  waitFor,
  welcomeMessage,
} from './outbox-fixture.js';

/**
 * Waits drawn below 30 days: one under a minute comes about once in 40 000 draws, so a row sent again
 * within the test was brought forward, not retried on time.
 */
const LONG_BACKOFF = { initialDelayMs: 30 * 24 * 3600 * 1000, maxDelayMs: 30 * 24 * 3600 * 1000 };

describe('The outbox catching up once its target answers again', () => {
  const database = outboxDatabase('sdk_outbox_recovery');

  it('When the target comes back while its rows wait out long backoffs, then a new message reaching it brings them, each delivered once', async () => {
    const standIn = await notificationStandIn(accept);
    const waiting = Array.from({ length: 4 }, () => welcomeMessage(randomUUID()));
    await enqueueCommitted(database.sequelize, waiting);
    const client = singleAttemptClient(standIn.url);
    database.startDispatcher({ clientFor: () => client, backoff: LONG_BACKOFF });
    await waitFor(() => allWaitLongerThanAMinute(database.sequelize, keysOf(waiting)));

    await standIn.up();
    const fresh = welcomeMessage(randomUUID());
    await enqueueCommitted(database.sequelize, [fresh]);
    await waitFor(async () =>
      (await outboxRows(database.sequelize)).every((row) => row.status === 'delivered'),
    );
    await sleep(200);

    expect([...standIn.countsByKey(202).entries()].sort()).to.deep.equal(
      keysOf([...waiting, fresh])
        .map((key) => [key, 1])
        .sort(),
    );
    expect(standIn.arrivals).to.have.length(5);
  });

  it('When a row is being sent while the target answers again, then the rows waiting are brought forward but the one in flight is not sent a second time', async () => {
    const received: string[] = [];
    let releaseHeld: () => void = () => {};
    const held = new Promise<void>((resolve) => (releaseHeld = resolve));
    const inFlight = welcomeMessage(randomUUID());
    const standIn = await notificationStandIn(async (req: Request, res: Response) => {
      const key = String(req.headers['idempotency-key']);
      received.push(key);
      if (key === inFlight.idempotencyKey) await held;
      accept(req, res);
    });
    const waiting = [inFlight, welcomeMessage(randomUUID()), welcomeMessage(randomUUID())];
    await enqueueCommitted(database.sequelize, waiting);
    // Waits as long as the lease for the held answer, so the send stays in flight however slow the machine.
    const client = new HttpClient({
      name: 'notification-service',
      baseUrl: standIn.url,
      maxRetries: 0,
      timeoutMs: 60_000,
      breaker: { failures: 1_000, halfOpenAfterMs: 10 },
    });
    const firstRun = database.startDispatcher({ clientFor: () => client, backoff: LONG_BACKOFF });
    await waitFor(() => allWaitLongerThanAMinute(database.sequelize, keysOf(waiting)));
    await firstRun.stop();
    await standIn.up();
    // The in-flight row's own backoff ran out, and one instance sends it; the target holds its answer.
    await database.sequelize.query('UPDATE outbox SET next_attempt_at = now() WHERE idempotency_key = $key', {
      bind: { key: inFlight.idempotencyKey },
    });
    database.startDispatcher({ clientFor: () => client, backoff: LONG_BACKOFF });
    await waitFor(() => received.includes(inFlight.idempotencyKey));

    const secondPool = database.openAnotherPool();
    database.startDispatcher({ clientFor: () => client, backoff: LONG_BACKOFF, sequelize: secondPool });
    await enqueueCommitted(database.sequelize, [welcomeMessage(randomUUID())]);
    await waitFor(() => standIn.countsByKey(202).size === 3);
    await sleep(300);
    const whileInFlight = [...received];
    releaseHeld();
    await waitFor(async () =>
      (await outboxRows(database.sequelize)).every((row) => row.status === 'delivered'),
    );
    await secondPool.close();

    expect(whileInFlight.filter((key) => key === inFlight.idempotencyKey)).to.have.length(1);
    expect([...standIn.countsByKey(202).values()]).to.deep.equal([1, 1, 1, 1]);
  });

  it('When one target answers again, then the rows for another target still down keep their backoff', async () => {
    const standIn = await notificationStandIn(accept);
    const notices = [welcomeMessage(randomUUID()), welcomeMessage(randomUUID())];
    const refund = refundMessage(randomUUID());
    await enqueueCommitted(database.sequelize, [...notices, refund]);
    const clients = {
      'notification-service': singleAttemptClient(standIn.url),
      'payment-service': await clientOfAServiceThatIsDown('payment-service'),
    };
    database.startDispatcher({
      clientFor: (target) => clients[target as keyof typeof clients],
      backoff: LONG_BACKOFF,
    });
    await waitFor(() => allWaitLongerThanAMinute(database.sequelize, keysOf([...notices, refund])));
    const [refundBefore] = await nextAttempts(database.sequelize, [refund.idempotencyKey]);

    await standIn.up();
    await enqueueCommitted(database.sequelize, [welcomeMessage(randomUUID())]);
    await waitFor(async () =>
      (await outboxRows(database.sequelize))
        .filter((row) => row.key !== refund.idempotencyKey)
        .every((row) => row.status === 'delivered'),
    );
    await sleep(200);

    const [refundAfter] = await nextAttempts(database.sequelize, [refund.idempotencyKey]);
    expect(refundAfter).to.deep.equal(refundBefore);
    expect(refundAfter!.status).to.equal('pending');
    expect(standIn.arrivals).to.have.length(3);
  });

  it('When the target failed one message with a 500 and was down for others, then once it takes a message only those it missed are brought forward', async () => {
    let answer: 'accept' | 'fail' = 'fail';
    const standIn = await notificationStandIn((req, res) => {
      if (answer === 'accept') accept(req, res);
      else res.status(500).json({ error: 'boom' });
    });
    await standIn.up();
    const failedThere = welcomeMessage(randomUUID());
    const missed = [welcomeMessage(randomUUID()), welcomeMessage(randomUUID())];
    const client = singleAttemptClient(standIn.url);
    database.startDispatcher({ clientFor: () => client, backoff: LONG_BACKOFF });
    await enqueueCommitted(database.sequelize, [failedThere]);
    await waitFor(() => allWaitLongerThanAMinute(database.sequelize, keysOf([failedThere])));
    await standIn.down();
    await enqueueCommitted(database.sequelize, missed);
    await waitFor(() => allWaitLongerThanAMinute(database.sequelize, keysOf(missed)));
    const [failedBefore] = await nextAttempts(database.sequelize, keysOf([failedThere]));

    answer = 'accept';
    await standIn.up();
    await enqueueCommitted(database.sequelize, [welcomeMessage(randomUUID())]);
    await waitFor(async () =>
      (await outboxRows(database.sequelize))
        .filter((row) => row.key !== failedThere.idempotencyKey)
        .every((row) => row.status === 'delivered'),
    );
    await sleep(200);

    const [failedAfter] = await nextAttempts(database.sequelize, keysOf([failedThere]));
    expect(failedAfter).to.deep.equal(failedBefore);
    expect(failedAfter).to.include({ status: 'pending', attempts: 1 });
    expect(standIn.countsByKey(500).get(failedThere.idempotencyKey)).to.equal(1);
    expect(standIn.countsByKey(202).size).to.equal(3);
  });
});

function keysOf(messages: OutboxMessage[]): string[] {
  return messages.map((message) => message.idempotencyKey);
}

function refundMessage(paymentId: string): OutboxMessage {
  return {
    target: 'payment-service',
    method: 'POST',
    path: `/internal/payments/${paymentId}/refund`,
    body: { reason: 'cancelled' },
    idempotencyKey: `refund:${paymentId}`,
  };
}

/** A client to a port nothing listens on, so each send fails without an answer. */
async function clientOfAServiceThatIsDown(name: string): Promise<HttpClient> {
  return new HttpClient({
    name,
    baseUrl: `http://127.0.0.1:${await freePort()}`,
    maxRetries: 0,
    breaker: { failures: 1_000, halfOpenAfterMs: 10 },
  });
}

/** Where the rows stand: status, attempts made, and when the next one is due. */
async function nextAttempts(sequelize: Sequelize, keys: string[]) {
  const [rows] = await sequelize.query(
    `SELECT idempotency_key AS key, status, attempts, next_attempt_at AS "nextAttemptAt"
     FROM outbox WHERE idempotency_key = ANY($keys::text[]) ORDER BY idempotency_key`,
    { bind: { keys } },
  );
  return rows as Array<{ key: string; status: string; attempts: number; nextAttemptAt: Date }>;
}

/** Every row failed an attempt and waits more than a minute for the next: sent sooner, it was brought forward. */
async function allWaitLongerThanAMinute(sequelize: Sequelize, keys: string[]): Promise<boolean> {
  const [rows] = await sequelize.query(
    `SELECT count(*)::int AS waiting FROM outbox
     WHERE idempotency_key = ANY($keys::text[]) AND status = 'pending' AND last_error IS NOT NULL
       AND next_attempt_at > now() + interval '1 minute'`,
    { bind: { keys } },
  );
  return (rows as Array<{ waiting: number }>)[0]!.waiting === keys.length;
}
