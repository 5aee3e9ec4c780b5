import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { HttpClient } from '../src/internal.js';
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

describe('Outbox dispatchers in several instances', () => {
  const database = outboxDatabase('sdk_outbox_dispatchers');

  it('When two dispatchers drain one table of 120 rows, then each row reaches the target exactly once', async () => {
    const standIn = await notificationStandIn(async (req, res) => {
      await sleep(Math.random() * 10);
      accept(req, res);
    });
    await standIn.up();
    const messages = Array.from({ length: 120 }, () => welcomeMessage(randomUUID()));
    await enqueueCommitted(database.sequelize, messages);
    const secondPool = database.openAnotherPool();
    const clientNamed = (instance: string) =>
      new HttpClient({
        name: 'notification-service',
        baseUrl: standIn.url,
        headers: () => ({ 'x-instance': instance }),
      });
    const [first, second] = [clientNamed('a'), clientNamed('b')];

    database.startDispatcher({ clientFor: () => first, batchSize: 3 });
    database.startDispatcher({ clientFor: () => second, batchSize: 3, sequelize: secondPool });
    await waitFor(async () =>
      (await outboxRows(database.sequelize)).every((row) => row.status === 'delivered'),
    );
    await sleep(200);
    await secondPool.close();

    const perKey = standIn.countsByKey(202);
    expect(standIn.arrivals).to.have.length(120);
    expect(perKey.size).to.equal(120);
    expect(Math.max(...perKey.values())).to.equal(1);
    const byInstance = (instance: string) =>
      standIn.arrivals.filter((arrival) => arrival.headers['x-instance'] === instance).length;
    expect(byInstance('a'), 'sent by a').to.be.above(0);
    expect(byInstance('b'), 'sent by b').to.be.above(0);
    expect((await outboxRows(database.sequelize)).every((row) => row.attempts === 1)).to.equal(true);
  });

  it('When another instance holds some rows in its claim, then the dispatcher skips them and delivers the rest at once', async () => {
    const standIn = await notificationStandIn(accept);
    await standIn.up();
    const messages = Array.from({ length: 6 }, () => welcomeMessage(randomUUID()));
    await enqueueCommitted(database.sequelize, messages);
    const held = messages.slice(0, 3).map((message) => message.idempotencyKey);
    const otherInstance = await database.sequelize.transaction();
    await database.sequelize.query('SELECT id FROM outbox WHERE idempotency_key IN (:held) FOR UPDATE', {
      replacements: { held },
      transaction: otherInstance,
    });
    const client = singleAttemptClient(standIn.url);

    database.startDispatcher({ clientFor: () => client });
    const whileHeld = await waitFor(() => standIn.arrivals.length === 3, 3_000)
      .then(() => standIn.arrivals.map((arrival) => arrival.key))
      .finally(() => otherInstance.rollback());
    await waitFor(() => standIn.arrivals.length === 6);

    expect(whileHeld.sort()).to.deep.equal(
      messages
        .slice(3)
        .map((message) => message.idempotencyKey)
        .sort(),
    );
  });

  it('When a send outlives its lease, then another dispatcher sends the row with the same key, and the late answer does not undo the delivery', async () => {
    let first = true;
    const standIn = await notificationStandIn(async (req, res) => {
      if (!first) return accept(req, res);
      first = false;
      await sleep(600);
      res.status(503).json({ error: 'too late' });
    });
    await standIn.up();
    const message = welcomeMessage(randomUUID());
    await enqueueCommitted(database.sequelize, [message]);
    const client = singleAttemptClient(standIn.url);

    database.startDispatcher({ clientFor: () => client, leaseMs: 100 });
    await waitFor(() => standIn.server !== undefined && !first);
    database.startDispatcher({ clientFor: () => client });
    await waitFor(() => standIn.arrivals.length === 2, 5_000);
    await sleep(200);

    expect(standIn.arrivals.map((arrival) => [arrival.key, arrival.status]).sort()).to.deep.equal([
      [message.idempotencyKey, 202],
      [message.idempotencyKey, 503],
    ]);
    const [row] = await outboxRows(database.sequelize);
    expect(row).to.include({ status: 'delivered', attempts: 2, lastError: null });
  });

  it('When a dispatcher is stopped while a send is in flight, then stop returns once that send is recorded', async () => {
    const standIn = await notificationStandIn(async (req, res) => {
      await sleep(300);
      accept(req, res);
    });
    await standIn.up();
    await enqueueCommitted(database.sequelize, [welcomeMessage(randomUUID())]);
    const client = singleAttemptClient(standIn.url);
    const dispatcher = database.startDispatcher({ clientFor: () => client });
    await waitFor(async () => (await outboxRows(database.sequelize))[0]!.attempts === 1);

    await dispatcher.stop();

    const [row] = await outboxRows(database.sequelize);
    expect(row!.status).to.equal('delivered');
    expect(standIn.arrivals).to.have.length(1);
  });
});
