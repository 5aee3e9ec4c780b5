import { expect } from 'chai';
import { eventually, openCheckout, paymentReaching, paymentService } from './harness.js';

describe('reconciliation', () => {
  it('When the webhook of an approved payment is lost, then the payment is settled from MercadoPago and order-service is told', async () => {
    // Arrange
    const { mercadopago, orders } = await paymentService();
    const { request, checkout } = await openCheckout();
    mercadopago.dropNextNotifications(1);

    // Act
    const paid = await mercadopago.pay(checkout.preferenceId, 'approve');

    // Assert
    const payment = await paymentReaching(request.orderId, 'approved');
    expect(payment.providerPaymentId).to.equal(String(paid.id));
    expect(payment.history.at(-1)).to.include({ source: 'reconciliation', status: 'approved' });
    expect(mercadopago.notifications().find((each) => each.paymentId === String(paid.id))!.dropped).to.equal(
      true,
    );
    await eventually(
      () => orders.results.some((each) => each.idempotencyKey === `${checkout.paymentId}:approved`),
      'the result at order-service',
    );
  });

  it('When a checkout expires with no payment, then it becomes expired and the order can have a new one', async () => {
    // Arrange
    const { internal } = await paymentService();
    const { request } = await openCheckout({ expiresAt: new Date(Date.now() + 1_500).toISOString() });

    // Act
    const payment = await paymentReaching(request.orderId, 'expired');

    // Assert
    expect(payment.history.at(-1)).to.include({ source: 'reconciliation', status: 'expired' });
    const next = await internal.createCheckout(
      { ...request, expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
      `checkout:${request.orderId}:2`,
    );
    expect(next.paymentId).to.not.equal(payment.paymentId);
  });

  it('When three instances reconcile lost webhooks at once, then each payment settles once and order-service is told once', async () => {
    // Arrange
    const { mercadopago, orders, startInstance } = await paymentService();
    const others = await Promise.all([startInstance(), startInstance()]);
    try {
      const opened = await Promise.all([openCheckout(), openCheckout(), openCheckout(), openCheckout()]);
      mercadopago.dropNextNotifications(opened.length);

      // Act
      await Promise.all(opened.map(({ checkout }) => mercadopago.pay(checkout.preferenceId, 'approve')));

      // Assert
      for (const { request, checkout } of opened) {
        const payment = await paymentReaching(request.orderId, 'approved');
        expect(payment.history.map((event) => event.status)).to.deep.equal(['pending', 'approved']);
        await eventually(
          () => orders.results.some((each) => each.idempotencyKey === `${checkout.paymentId}:approved`),
          'the result at order-service',
        );
      }
      for (const { checkout } of opened) {
        const key = `${checkout.paymentId}:approved`;
        expect(orders.received.filter((each) => each.headers['idempotency-key'] === key)).to.have.length(1);
      }
    } finally {
      await Promise.all(others.map((other) => other.close()));
    }
  });
});
