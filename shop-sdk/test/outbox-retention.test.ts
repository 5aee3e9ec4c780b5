import { expect } from 'chai';
import { countRows } from '../src/testing/index.js';
import { outboxDatabase, waitFor } from './outbox-fixture.js';

describe('The outbox keeps delivered messages only for the retention', () => {
  const database = outboxDatabase('sdk_outbox_retention');

  it('When delivered rows are older than the retention, then the dispatcher deletes them over bounded rounds, and pending, failed and recent rows stay', async () => {
    // Arrange: more expired rows than one round deletes, next to rows that must stay
    const { sequelize } = database;
    await sequelize.query(`
      INSERT INTO outbox (target, method, path, idempotency_key, status, attempts, next_attempt_at, created_at, delivered_at)
      SELECT 'notification-service', 'POST', '/internal/notifications', 'expired:' || n, 'delivered', 1,
             now() - interval '8 days', now() - interval '8 days', now() - interval '8 days'
      FROM generate_series(1, 1200) AS n;
      INSERT INTO outbox (target, method, path, idempotency_key, status, attempts, next_attempt_at, created_at, delivered_at)
      VALUES
        ('notification-service', 'POST', '/internal/notifications', 'delivered-yesterday', 'delivered', 1,
         now() - interval '1 day', now() - interval '1 day', now() - interval '1 day'),
        ('notification-service', 'POST', '/internal/notifications', 'pending-for-weeks', 'pending', 30,
         now() + interval '1 hour', now() - interval '30 days', NULL),
        ('notification-service', 'POST', '/internal/notifications', 'failed-long-ago', 'failed', 25,
         now() - interval '30 days', now() - interval '30 days', NULL);
    `);

    // Act
    database.startDispatcher({
      clientFor: () => {
        throw new Error('nothing is due, so nothing is sent');
      },
    });
    await waitFor(
      async () => (await countRows(sequelize, 'outbox', "idempotency_key LIKE 'expired:%'")) === 0,
    );

    // Assert
    const [rows] = await sequelize.query('SELECT idempotency_key AS key, status FROM outbox ORDER BY 1');
    expect(rows).to.deep.equal([
      { key: 'delivered-yesterday', status: 'delivered' },
      { key: 'failed-long-ago', status: 'failed' },
      { key: 'pending-for-weeks', status: 'pending' },
    ]);
  });

  it('When the retention is set shorter, then rows delivered before it go and later ones stay', async () => {
    // Arrange
    const { sequelize } = database;
    await sequelize.query(`
      INSERT INTO outbox (target, method, path, idempotency_key, status, attempts, next_attempt_at, created_at, delivered_at)
      VALUES
        ('notification-service', 'POST', '/internal/notifications', 'two-hours-ago', 'delivered', 1,
         now() - interval '2 hours', now() - interval '2 hours', now() - interval '2 hours'),
        ('notification-service', 'POST', '/internal/notifications', 'ten-minutes-ago', 'delivered', 1,
         now() - interval '10 minutes', now() - interval '10 minutes', now() - interval '10 minutes');
    `);

    // Act
    database.startDispatcher({
      clientFor: () => {
        throw new Error('nothing is due, so nothing is sent');
      },
      retentionMs: 3600_000,
    });
    await waitFor(
      async () => (await countRows(sequelize, 'outbox', { idempotency_key: 'two-hours-ago' })) === 0,
    );

    // Assert
    const [rows] = await sequelize.query('SELECT idempotency_key AS key FROM outbox');
    expect(rows).to.deep.equal([{ key: 'ten-minutes-ago' }]);
  });
});
