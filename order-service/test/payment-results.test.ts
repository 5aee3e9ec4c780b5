import { expect } from 'chai';
import {
  adminToken,
  call,
  eventually,
  noticesTo,
  orderAs,
  orderService,
  placedOrder,
  reportPayment,
  settle,
  type ProblemBody,
} from './harness.js';

describe('POST /internal/orders/:orderId/payment-result', () => {
  it('When the payment is approved, then the order is paid, its stock committed and the customer told', async () => {
    // Arrange
    const { catalog } = await orderService();
    const { customer, order } = await placedOrder();

    // Act
    const answer = await reportPayment(order.id, 'approved');

    // Assert
    expect(answer.status).to.equal(200);
    expect(answer.body.status).to.equal('paid');
    expect(answer.body.history.at(-1)).to.include({
      from: 'pending_payment',
      to: 'paid',
      actor: 'payment-service',
    });
    expect(answer.body.checkoutUrl).to.equal(null);
    expect(catalog.reservations.get(order.id)!.status).to.equal('committed');
    await eventually(
      async () => (await noticesTo(customer.id)).includes('payment-approved'),
      'payment-approved',
    );
  });

  it('When the same approval comes twice, then the second changes nothing', async () => {
    // Arrange
    const { notifications } = await orderService();
    const { customer, order } = await placedOrder();
    await reportPayment(order.id, 'approved');

    // Act
    const again = await reportPayment(order.id, 'approved');

    // Assert
    expect(again.status).to.equal(200);
    expect(again.body.history.map((step) => step.to)).to.deep.equal(['pending_payment', 'paid']);
    await settle();
    const approvals = notifications.notifications.filter(
      (each) =>
        each.request.type === 'payment-approved' &&
        (each.request.recipient as { userId: string }).userId === customer.id,
    );
    expect(approvals).to.have.length(1);
  });

  it('When the payment is rejected, then the order is payment_failed, its stock released and the customer told', async () => {
    // Arrange
    const { catalog } = await orderService();
    const { customer, order, variantIds } = await placedOrder();

    // Act
    const answer = await reportPayment(order.id, 'rejected');

    // Assert
    expect(answer.body.status).to.equal('payment_failed');
    await eventually(() => catalog.stock.get(variantIds[0]!) === 10, 'the stock to be released');
    await eventually(
      async () => (await noticesTo(customer.id)).includes('payment-rejected'),
      'payment-rejected',
    );
  });

  it('When a rejection comes after the approval, then the order stays paid', async () => {
    // Arrange
    const { order } = await placedOrder();
    await reportPayment(order.id, 'approved');

    // Act
    const answer = await reportPayment(order.id, 'rejected');

    // Assert
    expect(answer.status).to.equal(200);
    expect(answer.body.status).to.equal('paid');
  });

  it('When the approval arrives after the reservation expired, then the order is cancelled, says why, and a refund is requested', async () => {
    // Arrange
    const { catalog, payments } = await orderService();
    const { customer, order } = await placedOrder();
    catalog.reservations.get(order.id)!.lapsed = true;

    // Act
    const answer = await reportPayment(order.id, 'approved');

    // Assert
    expect(answer.body.status).to.equal('cancelled');
    expect(answer.body.statusReason).to.match(/after the order could no longer be kept; it is refunded/);
    await eventually(
      () => payments.refunds.some((refund) => refund.orderId === order.id),
      'a refund request',
    );
    const refunded = await reportPayment(order.id, 'refunded');
    expect(refunded.body.status).to.equal('refunded');
    await eventually(async () => (await noticesTo(customer.id)).includes('order-refunded'), 'order-refunded');
  });

  it('When the approval arrives after the order expired and was cancelled, then a refund is requested once', async () => {
    // Arrange
    const { db, payments } = await orderService();
    const { order } = await placedOrder();
    await db.sequelize.query(
      `UPDATE orders SET expires_at = now() - interval '1 second' WHERE id = '${order.id}'`,
    );
    await eventually(
      async () => (await orderAs(adminToken(), order.id)).body.status === 'cancelled',
      'expiry',
    );

    // Act
    await reportPayment(order.id, 'approved');
    await reportPayment(order.id, 'approved');

    // Assert
    await eventually(
      () => payments.refunds.some((refund) => refund.orderId === order.id),
      'a refund request',
    );
    await settle();
    expect(payments.refunds.filter((refund) => refund.orderId === order.id)).to.have.length(1);
    expect((await orderAs(adminToken(), order.id)).body.statusReason).to.match(/refunded/);
  });

  it('When the customer cancels while the approval is committing the stock, then the order stays cancelled and the payment is refunded', async () => {
    // Arrange
    const { catalog, payments, url } = await orderService();
    const { customer, order } = await placedOrder();
    catalog.hooks.beforeCommit = async () => {
      await call(url, 'POST', `/api/orders/${order.id}/cancel`, { token: customer.token, body: {} });
    };

    try {
      // Act
      const answer = await reportPayment(order.id, 'approved');

      // Assert
      expect(answer.body.status).to.equal('cancelled');
      await eventually(
        () => payments.refunds.some((refund) => refund.orderId === order.id),
        'a refund request',
      );
    } finally {
      catalog.hooks.beforeCommit = undefined;
    }
  });

  it('When product-service cannot commit now, then the result is refused with a 503 and the order waits, to be paid on the next delivery', async () => {
    // Arrange
    const { catalog } = await orderService();
    const { order } = await placedOrder();
    catalog.down = true;

    try {
      // Act
      const refused = await reportPayment<ProblemBody>(order.id, 'approved');

      // Assert
      expect(refused.status).to.equal(503);
      expect((await orderAs(adminToken(), order.id)).body.status).to.equal('pending_payment');
    } finally {
      catalog.down = false;
    }
    // Failures while it was down may have opened the circuit to product-service; payment-service's
    // outbox redelivers until the circuit lets a try through, and so does this.
    await eventually(
      async () => (await reportPayment(order.id, 'approved')).body.status === 'paid',
      'the order paid on a later delivery',
      30_000,
    );
  });

  it('When the caller has no service credentials or the order is unknown, then it is 401 or 404', async () => {
    // Arrange
    const service = await orderService();
    const { order } = await placedOrder();

    // Act
    const anonymous = await call(service.url, 'POST', `/internal/orders/${order.id}/payment-result`, {
      body: {},
    });
    const unknown = await reportPayment('0b8e7c1e-4a8f-4f53-9d55-1f0c9b3f2a11', 'approved');

    // Assert
    expect(anonymous.status).to.equal(401);
    expect(unknown.status).to.equal(404);
  });
});
