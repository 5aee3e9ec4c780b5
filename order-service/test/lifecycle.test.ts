import { expect } from 'chai';
import type { Order, OrderStatus } from '@escalable/shop-sdk';
import {
  adminToken,
  call,
  eventually,
  newCustomer,
  noticesTo,
  orderAs,
  orderService,
  placedOrder,
  reportPayment,
  type Answer,
  type Customer,
  type ProblemBody,
} from './harness.js';

const staff = adminToken();

async function moveTo(
  orderId: string,
  status: string,
  extra: object = {},
  token = staff,
): Promise<Answer<Order>> {
  return call<Order>((await orderService()).url, 'PATCH', `/api/orders/${orderId}/status`, {
    token,
    body: { status, ...extra },
  });
}

async function cancel(orderId: string, who: Customer | string): Promise<Answer<Order>> {
  const token = typeof who === 'string' ? who : who.token;
  return call<Order>((await orderService()).url, 'POST', `/api/orders/${orderId}/cancel`, {
    token,
    body: {},
  });
}

const shipping = { carrier: 'OCA', trackingNumber: 'OCA-123456' };

/** An order brought to `status` through the routes and results that lead there. */
async function orderIn(status: OrderStatus) {
  const placed = await placedOrder();
  const id = placed.order.id;
  const steps: Record<string, () => Promise<unknown>> = {
    paid: () => reportPayment(id, 'approved'),
    processing: () => moveTo(id, 'processing'),
    shipped: () => moveTo(id, 'shipped', shipping),
    delivered: () => moveTo(id, 'delivered'),
  };
  const path: OrderStatus[] = ['paid', 'processing', 'shipped', 'delivered'];
  if (status === 'cancelled') await cancel(id, placed.customer);
  else if (status === 'payment_failed') await reportPayment(id, 'rejected');
  else if (status === 'refunded') {
    await reportPayment(id, 'approved');
    await cancel(id, placed.customer);
    await reportPayment(id, 'refunded');
  } else for (const step of path.slice(0, path.indexOf(status) + 1)) await steps[step]!();
  expect((await orderAs(staff, id)).body.status).to.equal(status);
  return placed;
}

describe('the order lifecycle', () => {
  it('When staff move a paid order through processing, shipped and delivered, then each step is kept in the history and the customer told', async () => {
    // Arrange
    const { customer, order } = await orderIn('paid');

    // Act
    const processing = await moveTo(order.id, 'processing');
    const shipped = await moveTo(order.id, 'shipped', shipping);
    const delivered = await moveTo(order.id, 'delivered');

    // Assert
    expect([processing.status, shipped.status, delivered.status]).to.deep.equal([200, 200, 200]);
    expect(delivered.body).to.include({ status: 'delivered', carrier: 'OCA', trackingNumber: 'OCA-123456' });
    expect(delivered.body.history.map((step) => [step.from, step.to])).to.deep.equal([
      [null, 'pending_payment'],
      ['pending_payment', 'paid'],
      ['paid', 'processing'],
      ['processing', 'shipped'],
      ['shipped', 'delivered'],
    ]);
    await eventually(
      async () => (await noticesTo(customer.id)).includes('order-delivered'),
      'order-delivered',
    );
    const { notifications } = await orderService();
    const shippedNotice = notifications.notifications.find(
      (each) => each.idempotencyKey === `order-shipped:${order.id}`,
    );
    expect(shippedNotice!.request.data).to.deep.equal({ orderId: order.id, ...shipping });
  });

  it('When an order is placed, paid, shipped and delivered, then each notice asks for an e-mail and an SMS', async () => {
    // Arrange
    const { customer, order } = await orderIn('paid');

    // Act
    await moveTo(order.id, 'processing');
    await moveTo(order.id, 'shipped', shipping);
    await moveTo(order.id, 'delivered');

    // Assert
    await eventually(
      async () => (await noticesTo(customer.id)).includes('order-delivered'),
      'order-delivered',
    );
    const { notifications } = await orderService();
    const channels = Object.fromEntries(
      notifications.notifications
        .filter((each) => each.request.data.orderId === order.id)
        .map((each) => [each.request.type, each.request.channels]),
    );
    expect(channels).to.deep.equal({
      'order-placed': ['email', 'sms'],
      'payment-approved': ['email', 'sms'],
      'order-shipped': ['email', 'sms'],
      'order-delivered': ['email', 'sms'],
    });
  });

  it('When shipped comes without a carrier and tracking number, then it is a 400', async () => {
    // Arrange
    const { order } = await orderIn('processing');

    // Act
    const answer = await moveTo(order.id, 'shipped');

    // Assert
    expect(answer.status).to.equal(400);
  });

  it('When a customer moves an order status, then it is a 403', async () => {
    // Arrange
    const { customer, order } = await orderIn('paid');

    // Act
    const answer = await moveTo(order.id, 'processing', {}, customer.token);

    // Assert
    expect(answer.status).to.equal(403);
  });

  const refused: Array<[OrderStatus, string]> = [
    ['pending_payment', 'processing'],
    ['pending_payment', 'shipped'],
    ['paid', 'shipped'],
    ['paid', 'delivered'],
    ['processing', 'delivered'],
    ['shipped', 'processing'],
    ['delivered', 'shipped'],
    ['cancelled', 'processing'],
    ['payment_failed', 'processing'],
    ['refunded', 'processing'],
  ];
  for (const [from, to] of refused) {
    it(`When staff move a ${from} order to ${to}, then it is a 409 naming its status`, async () => {
      // Arrange
      const { order } = await orderIn(from);

      // Act
      const answer = await moveTo(order.id, to, to === 'shipped' ? shipping : {});

      // Assert
      expect(answer.status).to.equal(409);
      const problem = answer.body as unknown as ProblemBody;
      expect(problem.type).to.match(/order-status-conflict$/);
      expect(problem.status).to.equal(409);
      expect(problem.detail).to.include(`The order is ${from}`);
    });
  }

  it('When the customer cancels an unpaid order, then it is cancelled, its stock released and the customer told', async () => {
    // Arrange
    const { catalog } = await orderService();
    const { customer, order, variantIds } = await placedOrder();

    // Act
    const answer = await cancel(order.id, customer);

    // Assert
    expect(answer.status).to.equal(200);
    expect(answer.body.status).to.equal('cancelled');
    expect(answer.body.history.at(-1)).to.include({
      from: 'pending_payment',
      to: 'cancelled',
      actor: customer.id,
    });
    await eventually(() => catalog.stock.get(variantIds[0]!) === 10, 'the stock to be released');
    await eventually(
      async () => (await noticesTo(customer.id)).includes('order-cancelled'),
      'order-cancelled',
    );
  });

  for (const status of ['paid', 'processing'] as const) {
    it(`When the customer cancels a ${status} order, then a refund is asked for and the order becomes refunded once it is confirmed`, async () => {
      // Arrange
      const { payments } = await orderService();
      const { customer, order } = await orderIn(status);

      // Act
      const cancelled = await cancel(order.id, customer);
      await eventually(
        () => payments.refunds.some((refund) => refund.orderId === order.id),
        'a refund request',
      );
      const refunded = await reportPayment(order.id, 'refunded');

      // Assert
      expect(cancelled.body.status).to.equal('cancelled');
      expect(refunded.body.status).to.equal('refunded');
      expect(refunded.body.history.map((step) => step.to).slice(-2)).to.deep.equal(['cancelled', 'refunded']);
      await eventually(
        async () => (await noticesTo(customer.id)).includes('order-refunded'),
        'order-refunded',
      );
    });
  }

  for (const status of ['shipped', 'delivered', 'cancelled', 'payment_failed', 'refunded'] as const) {
    it(`When the customer cancels a ${status} order, then it is a 409 naming its status`, async () => {
      // Arrange
      const { customer, order } = await orderIn(status);

      // Act
      const answer = await cancel(order.id, customer);

      // Assert
      expect(answer.status).to.equal(409);
      expect((answer.body as unknown as ProblemBody).detail).to.include(`The order is ${status}`);
    });
  }

  it('When another customer reads or cancels an order, then it is a 404 and nothing changes', async () => {
    // Arrange
    const { order } = await placedOrder();
    const stranger = newCustomer();

    // Act
    const read = await orderAs(stranger.token, order.id);
    const cancelled = await cancel(order.id, stranger);

    // Assert
    expect(read.status).to.equal(404);
    expect(cancelled.status).to.equal(404);
    expect((await orderAs(staff, order.id)).body.status).to.equal('pending_payment');
  });

  it('When an unpaid order outlives its time, then the expiry job cancels it, releases its stock and says why', async () => {
    // Arrange
    const { catalog, db } = await orderService();
    const { customer, order, variantIds } = await placedOrder();

    // Act
    await db.sequelize.query(
      `UPDATE orders SET expires_at = now() - interval '1 second' WHERE id = '${order.id}'`,
    );

    // Assert
    const expired = await eventually(async () => {
      const view = await orderAs(customer.token, order.id);
      return view.body.status === 'cancelled' ? view.body : undefined;
    }, 'the order to expire');
    expect(expired.history.at(-1)).to.include({
      to: 'cancelled',
      actor: 'order-service',
      reason: 'The order was not paid in time',
    });
    await eventually(() => catalog.stock.get(variantIds[0]!) === 10, 'the stock to be released');
  });
});
