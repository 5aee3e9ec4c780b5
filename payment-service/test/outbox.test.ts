import { expect } from 'chai';
import { countRows } from '@escalable/shop-sdk/testing';
import { call, eventually, openCheckout, paymentReaching, paymentService, settle } from './harness.js';

describe('payment results to order-service', () => {
  it('When order-service is down as a payment is approved, then the result waits and reaches it once it is back', async () => {
    // Arrange
    const { mercadopago, orders, db } = await paymentService();
    const { request, checkout } = await openCheckout();
    orders.down = true;

    // Act
    try {
      await mercadopago.pay(checkout.preferenceId, 'approve');
      await paymentReaching(request.orderId, 'approved');
      await eventually(
        async () =>
          (await countRows(db, 'outbox', 'idempotency_key = $key AND attempts > 0', {
            key: `${checkout.paymentId}:approved`,
          })) === 1,
        'a failed delivery attempt',
      );
      await settle(200);
      expect(orders.results.some((each) => each.orderId === request.orderId)).to.equal(false);
    } finally {
      orders.down = false;
    }

    // Assert
    const result = await eventually(
      () => orders.results.find((each) => each.idempotencyKey === `${checkout.paymentId}:approved`),
      'the result once order-service is back',
      // The retry waits grow with full jitter and the client's breaker pauses 10 s after failures.
      45_000,
    );
    expect(result.result.status).to.equal('approved');
  }).timeout(60_000);
});

describe('GET /metrics', () => {
  it('When the metrics are read, then they show the outbox of payment results', async () => {
    // Arrange
    const { url } = await paymentService();

    // Act
    const answer = await call<string>(url, 'GET', '/metrics');

    // Assert
    expect(answer.status).to.equal(200);
    expect(answer.body).to.match(/^outbox_pending{service="payment-service"} \d+$/m);
    expect(answer.body).to.match(/^outbox_oldest_pending_age_seconds{service="payment-service"} [\d.]+$/m);
  });
});
