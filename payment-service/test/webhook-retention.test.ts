import { randomInt, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { countRows } from '@escalable/shop-sdk/testing';
import { call, eventually, notification, paymentService, settle } from './harness.js';

describe('Stored webhook notifications over time', () => {
  it('When processed notifications are past the dedupe window, then they are deleted, while unprocessed and recent ones stay and a recent one delivered again is still recognized', async () => {
    // Arrange: the dedupe window is 2 × 300 s + 60 s with the default tolerance
    const { url, db } = await paymentService();
    const requestIds = { expired: randomUUID(), recent: randomUUID(), waiting: randomUUID() };
    const recentDataId = String(randomInt(1e9, 2e9));
    await db.sequelize.query(
      `INSERT INTO webhook_events (id, request_id, topic, data_id, body, received_at, next_attempt_at, processed_at)
       VALUES
         (gen_random_uuid(), $expired, 'payment', '1', '{}', now() - interval '1 hour',
          now() - interval '1 hour', now() - interval '1 hour'),
         (gen_random_uuid(), $recent, 'payment', $recentDataId, '{}', now() - interval '5 minutes',
          now() - interval '5 minutes', now() - interval '5 minutes'),
         (gen_random_uuid(), $waiting, 'payment', '3', '{}', now() - interval '1 day',
          now() + interval '1 hour', NULL)`,
      { bind: { ...requestIds, recentDataId } },
    );
    const rowsOf = (requestId: string) => countRows(db, 'webhook_events', { request_id: requestId });

    // Act
    await eventually(async () => (await rowsOf(requestIds.expired)) === 0, 'the expired event deleted');
    const copy = notification(recentDataId, { requestId: requestIds.recent });
    const answer = await call(url, 'POST', copy.path, { headers: copy.headers, body: copy.body });
    await settle();

    // Assert
    expect(answer.status).to.equal(200);
    expect(await rowsOf(requestIds.recent)).to.equal(1);
    expect(
      await countRows(db, 'webhook_events', 'request_id = $waiting AND processed_at IS NULL', requestIds),
    ).to.equal(1);
  });
});
