import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { HttpClient, internalHttpClient } from '../src/internal.js';
import { enqueueOutbox } from '../src/server/index.js';
import { countRows } from '../src/testing/index.js';
import {
  accept,
  loggerWithLines,
  enqueueCommitted,
  notificationStandIn,
  outboxDatabase,
  outboxRows,
  singleAttemptClient,
  waitFor,
  welcomeMessage,
} from './outbox-fixture.js';

describe('The outbox: written with the caller, sent by the dispatcher', () => {
  const database = outboxDatabase('sdk_outbox');

  it("When the caller's transaction rolls back, then no row is left, and a commit leaves one pending", async () => {
    const { sequelize } = database;
    const rolledBack = welcomeMessage(randomUUID());
    const committed = welcomeMessage(randomUUID());

    const failure = await sequelize
      .transaction(async (transaction) => {
        await enqueueOutbox(transaction, rolledBack);
        throw new Error('the sign-up failed after the enqueue');
      })
      .catch((error: Error) => error);
    await enqueueCommitted(sequelize, [committed]);

    expect(failure).to.be.instanceOf(Error);
    expect(await countRows(sequelize, 'outbox', { idempotency_key: rolledBack.idempotencyKey })).to.equal(0);
    expect(await outboxRows(sequelize)).to.deep.equal([
      { key: committed.idempotencyKey, status: 'pending', attempts: 0, lastError: null, deliveredAt: null },
    ]);
  });

  it('When one key is enqueued twice, then the second enqueue adds nothing and says so', async () => {
    const { sequelize } = database;
    const message = welcomeMessage(randomUUID());

    const added = await sequelize.transaction(async (transaction) => [
      await enqueueOutbox(transaction, message),
      await enqueueOutbox(transaction, { ...message, body: { other: true } }),
    ]);

    expect(added).to.deep.equal([true, false]);
    expect(await countRows(sequelize, 'outbox')).to.equal(1);
  });

  it('When a message names no shop service or has an over-long key, then the enqueue throws and nothing is written', async () => {
    const { sequelize } = database;
    const message = welcomeMessage(randomUUID());

    const unknownTarget = await enqueueCommitted(sequelize, [
      message,
      { ...message, idempotencyKey: 'other', target: 'mail-service' as never },
    ]).catch((error: Error) => error.message);
    const longKey = await enqueueCommitted(sequelize, [
      { ...message, idempotencyKey: 'k'.repeat(201) },
    ]).catch((error: Error) => error.message);

    expect(unknownTarget).to.equal('outbox: "mail-service" is not a shop service');
    expect(longKey).to.equal('outbox: the idempotency key must have 1 to 200 characters');
    expect(await countRows(sequelize, 'outbox')).to.equal(0);
  });

  it("When the target accepts, then it gets the message once, with service credentials and the row's key as Idempotency-Key", async () => {
    const standIn = await notificationStandIn(accept);
    await standIn.up();
    const message = welcomeMessage(randomUUID());
    await enqueueCommitted(database.sequelize, [message]);
    const client = internalHttpClient('notification-service', {
      baseUrl: standIn.url,
      caller: 'user-service',
      secret: 's'.repeat(32),
    });

    database.startDispatcher({ clientFor: () => client });
    await waitFor(async () => (await outboxRows(database.sequelize))[0]!.status === 'delivered');
    await sleep(100);

    expect(standIn.arrivals).to.have.length(1);
    const [arrival] = standIn.arrivals;
    expect(arrival!.key).to.equal(message.idempotencyKey);
    expect(arrival!.body).to.deep.equal(message.body);
    expect(arrival!.headers.authorization).to.match(/^Bearer ey/);
    const [row] = await outboxRows(database.sequelize);
    expect(row).to.include({ status: 'delivered', attempts: 1, lastError: null });
    expect(row!.deliveredAt).to.be.instanceOf(Date);
  });

  it('When a transaction that queued messages commits, then the dispatcher of its pool sends them at once, long before its next tick, and a savepoint alone sends nothing', async () => {
    const standIn = await notificationStandIn(accept);
    await standIn.up();
    const client = singleAttemptClient(standIn.url);
    database.startDispatcher({ clientFor: () => client, intervalMs: 60_000 });
    const [first, inSavepoint] = [welcomeMessage(randomUUID()), welcomeMessage(randomUUID())];

    // The dispatcher's first tick is a minute away: what arrives within seconds was sent for the commit.
    await enqueueCommitted(database.sequelize, [first]);
    await waitFor(() => standIn.arrivals.length === 1, 5_000);
    let arrivedBeforeOuterCommit = -1;
    await database.sequelize.transaction(async (outer) => {
      await database.sequelize.transaction({ transaction: outer }, (savepoint) =>
        enqueueOutbox(savepoint, inSavepoint),
      );
      await sleep(300);
      arrivedBeforeOuterCommit = standIn.arrivals.length;
    });
    await waitFor(() => standIn.arrivals.length === 2, 5_000);

    expect(arrivedBeforeOuterCommit).to.equal(1);
    expect(standIn.arrivals.map((arrival) => arrival.key)).to.deep.equal([
      first.idempotencyKey,
      inSavepoint.idempotencyKey,
    ]);
  });

  it('When the target refuses the message (422), then the row is failed with its problem and never sent again', async () => {
    const standIn = await notificationStandIn((_req, res) => {
      res.status(422).type('application/problem+json').json({
        type: 'https://escalable.shop/problems/idempotency-key-reused',
        title: 'This key was used for another request',
        status: 422,
      });
    });
    await standIn.up();
    await enqueueCommitted(database.sequelize, [welcomeMessage(randomUUID())]);

    database.startDispatcher({ clientFor: () => singleAttemptClient(standIn.url) });
    await waitFor(async () => (await outboxRows(database.sequelize))[0]!.status === 'failed');
    await sleep(200);

    expect(standIn.arrivals).to.have.length(1);
    const [row] = await outboxRows(database.sequelize);
    expect(row!.attempts).to.equal(1);
    expect(row!.lastError).to.include({
      status: 422,
      type: 'https://escalable.shop/problems/idempotency-key-reused',
      upstream: 'notification-service',
    });
  });

  it('When the target fails every attempt (503), then the row is failed after maxAttempts with the last problem', async () => {
    const standIn = await notificationStandIn((_req, res) => {
      res.status(503).json({ error: 'overloaded' });
    });
    await standIn.up();
    await enqueueCommitted(database.sequelize, [welcomeMessage(randomUUID())]);

    database.startDispatcher({
      clientFor: () => singleAttemptClient(standIn.url),
      maxAttempts: 3,
      backoff: { initialDelayMs: 10, maxDelayMs: 20 },
    });
    await waitFor(async () => (await outboxRows(database.sequelize))[0]!.status === 'failed');
    await sleep(200);

    expect(standIn.arrivals).to.have.length(3);
    const [row] = await outboxRows(database.sequelize);
    expect(row!.attempts).to.equal(3);
    expect(row!.lastError).to.include({
      status: 503,
      type: 'https://escalable.shop/problems/upstream-error',
    });
  });

  it('When the target is down while messages are written, then they wait, and once it is back each is delivered once', async () => {
    const standIn = await notificationStandIn(accept);
    const messages = Array.from({ length: 5 }, () => welcomeMessage(randomUUID()));
    await enqueueCommitted(database.sequelize, messages);
    const client = singleAttemptClient(standIn.url);
    database.startDispatcher({ clientFor: () => client, backoff: { initialDelayMs: 20, maxDelayMs: 200 } });

    // A row's error shows while it waits for its retry, not while a claim sends it again: the rows are
    // judged as read at the moment every one of them was waiting.
    let whileDown: Awaited<ReturnType<typeof outboxRows>> = [];
    await waitFor(async () => {
      whileDown = await outboxRows(database.sequelize);
      return whileDown.every((row) => row.attempts >= 3 && row.lastError !== null);
    });
    await standIn.up();
    await waitFor(async () =>
      (await outboxRows(database.sequelize)).every((row) => row.status === 'delivered'),
    );
    await sleep(300);

    expect(whileDown.map((row) => row.status)).to.deep.equal(Array(5).fill('pending'));
    expect(whileDown[0]!.lastError!.detail).to.equal('notification-service did not answer (ECONNREFUSED)');
    expect([...standIn.countsByKey(202).entries()].sort()).to.deep.equal(
      messages.map((message) => [message.idempotencyKey, 1]).sort(),
    );
    expect(standIn.arrivals).to.have.length(5);
  });

  it("When the target was down long enough to open the client's circuit, then once it is back the rows are delivered", async () => {
    const standIn = await notificationStandIn(accept);
    await enqueueCommitted(database.sequelize, [welcomeMessage(randomUUID()), welcomeMessage(randomUUID())]);
    const client = new HttpClient({
      name: 'notification-service',
      baseUrl: standIn.url,
      maxRetries: 0,
      breaker: { failures: 2, halfOpenAfterMs: 100 },
    });
    database.startDispatcher({ clientFor: () => client, backoff: { initialDelayMs: 20, maxDelayMs: 50 } });
    await waitFor(async () =>
      (await outboxRows(database.sequelize)).some(
        (row) =>
          row.lastError?.type?.toString().endsWith('upstream-unavailable') &&
          /paused/.test(String(row.lastError.detail)),
      ),
    );

    await standIn.up();
    await waitFor(
      async () => (await outboxRows(database.sequelize)).every((row) => row.status === 'delivered'),
      5_000,
    );

    expect(standIn.arrivals).to.have.length(2);
  });

  it('When the target keeps failing, then each wait is drawn under a doubling cap (full jitter), honoured, and grows', async () => {
    let failing = true;
    const standIn = await notificationStandIn((req, res) => {
      if (failing) res.status(503).json({ error: 'overloaded' });
      else accept(req, res);
    });
    await standIn.up();
    const messages = Array.from({ length: 20 }, () => welcomeMessage(randomUUID()));
    await enqueueCommitted(database.sequelize, messages);
    const client = singleAttemptClient(standIn.url);
    const { lines, logger } = loggerWithLines();

    database.startDispatcher({
      clientFor: () => client,
      logger,
      backoff: { initialDelayMs: 100, maxDelayMs: 10_000 },
    });
    const rows = () => outboxRows(database.sequelize);
    await waitFor(async () => (await rows()).every((row) => row.attempts >= 5), 30_000);
    failing = false;
    await waitFor(async () => (await rows()).every((row) => row.status === 'delivered'));

    const retries = await loggedRetries(lines, database.sequelize);
    const drawn = (attempt: number) =>
      retries.filter((retry) => retry.attempts === attempt).map((retry) => retry.retryInMs);
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    for (const attempt of [1, 2, 3, 4]) {
      expect(drawn(attempt)).to.have.length(20);
      drawn(attempt).forEach((wait) => expect(wait).to.be.within(0, 100 * 2 ** (attempt - 1)));
    }
    const [early, late] = [mean([...drawn(1), ...drawn(2)]), mean([...drawn(3), ...drawn(4)])];
    expect(late - early, `early ${early.toFixed(0)} ms, late ${late.toFixed(0)} ms`).to.be.above(100);
    expect(
      drawn(4).some((wait) => wait < 400),
      'some wait after attempt 4 under half its cap',
    ).to.equal(true);
    // While the target keeps failing (attempts 1 to 5 of every row), a loaded machine may retry later
    // than drawn, never earlier; the waits left once it takes a message are cut short (outbox-recovery).
    for (const retry of retries) {
      const [answered, next] = standIn.arrivals
        .filter((arrival) => arrival.key === retry.key)
        .slice(retry.attempts - 1);
      if (next!.status === 503) expect(next!.at - answered!.answeredAt).to.be.at.least(retry.retryInMs - 5);
    }
    expect([...standIn.countsByKey(202).values()]).to.deep.equal(Array(20).fill(1));
  });
});

/** The retries the dispatcher logged (attempt number and the wait drawn), with each row's key. */
async function loggedRetries(lines: Array<Record<string, unknown>>, sequelize: Sequelize) {
  const [rows] = await sequelize.query('SELECT id, idempotency_key AS key FROM outbox');
  const keyOf = new Map((rows as Array<{ id: string; key: string }>).map((row) => [row.id, row.key]));
  return lines
    .filter((line) => line.msg === 'outbox message not delivered; retrying')
    .map((line) => ({
      key: keyOf.get(line.outboxId as string)!,
      attempts: line.attempts as number,
      retryInMs: line.retryInMs as number,
    }));
}
