import { expect } from 'chai';
import { eventually, noticesTo, orderService, placedOrder, reportPayment, settle } from './harness.js';

describe('the outbox', function () {
  // After failures the client's circuit breaker stays open 10 s, and the rows back off with jitter.
  this.timeout(60_000);

  it('When notification-service is down during checkouts and payments, then every notice arrives once after it returns', async () => {
    // Arrange
    const { notifications } = await orderService();
    notifications.down = true;
    const placed = [];

    try {
      // Act
      for (let index = 0; index < 3; index += 1) placed.push(await placedOrder());
      for (const { order } of placed) await reportPayment(order.id, 'approved');
      await settle();
      expect(await noticesTo(placed[0]!.customer.id)).to.deep.equal([]);
    } finally {
      notifications.down = false;
    }

    // Assert
    for (const { customer } of placed)
      await eventually(
        async () => (await noticesTo(customer.id)).length === 2,
        'order-placed and payment-approved',
        40_000,
      );
    await settle();
    for (const { customer } of placed)
      expect((await noticesTo(customer.id)).sort()).to.deep.equal(['order-placed', 'payment-approved']);
  });
});
