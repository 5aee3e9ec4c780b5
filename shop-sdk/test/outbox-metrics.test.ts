import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createMetrics, createServiceApp } from '../src/server/index.js';
import { call, listen } from '../src/testing/index.js';
import {
  accept,
  enqueueCommitted,
  logger,
  notificationStandIn,
  outboxDatabase,
  outboxRows,
  singleAttemptClient,
  waitFor,
  welcomeMessage,
} from './outbox-fixture.js';

describe('Outbox metrics on the service /metrics', () => {
  const database = outboxDatabase('sdk_outbox_metrics');

  async function scrape(url: string) {
    const answer = await call<string>(url, 'GET', '/metrics');
    const gauge = (name: string) =>
      Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(answer.body)?.[1]);
    return { pending: gauge('outbox_pending'), oldestAge: gauge('outbox_oldest_pending_age_seconds') };
  }

  it('When messages wait for a target that is down, then /metrics shows how many and the oldest age; once delivered, zero', async () => {
    const metrics = createMetrics('outbox-test');
    const app = createServiceApp({
      service: 'outbox-test',
      logger,
      bodyLimit: '10kb',
      trustProxy: 'loopback',
      checkReadiness: async () => {},
      routes: () => {},
      metrics,
    });
    const server = await listen(app);
    const standIn = await notificationStandIn(accept);
    await enqueueCommitted(
      database.sequelize,
      [1, 2, 3].map(() => welcomeMessage(randomUUID())),
    );
    await database.sequelize.query(
      `UPDATE outbox SET created_at = now() - interval '90 seconds'
       WHERE id = (SELECT id FROM outbox ORDER BY id LIMIT 1)`,
    );
    const client = singleAttemptClient(standIn.url);
    database.startDispatcher({ clientFor: () => client, registry: metrics.registry });

    await waitFor(async () => (await outboxRows(database.sequelize)).every((row) => row.attempts >= 1));
    const whileDown = await scrape(server.url);
    await standIn.up();
    await waitFor(async () =>
      (await outboxRows(database.sequelize)).every((row) => row.status === 'delivered'),
    );
    const delivered = await scrape(server.url);
    await server.close();

    expect(whileDown.pending).to.equal(3);
    expect(whileDown.oldestAge).to.be.within(90, 100);
    expect(delivered).to.deep.equal({ pending: 0, oldestAge: 0 });
  });
});
