import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { ShopClient, Problem, type PaymentView } from '@escalable/shop-sdk';
import {
  adminToken,
  call,
  customerToken,
  openCheckout,
  paymentService,
  type ProblemBody,
} from './harness.js';

describe('GET /api/payments/orders/:orderId', () => {
  it('When the customer reads their order payment through the shop client, then its status and history are answered', async () => {
    // Arrange
    const { url } = await paymentService();
    const { request, checkout } = await openCheckout();
    const shop = new ShopClient({ baseUrl: url });
    shop.tokens = {
      accessToken: customerToken(request.customerId),
      refreshToken: 'unused',
      expiresIn: 300,
    } as never;

    // Act
    const payment = await shop.payments.forOrder(request.orderId);

    // Assert
    expect(payment).to.include({
      paymentId: checkout.paymentId,
      status: 'pending',
      checkoutUrl: checkout.checkoutUrl,
    });
    expect(payment.refunded).to.deep.equal({ amount: 0, currency: 'ARS' });
    expect(payment.history).to.have.length(1);
  });

  it('When another customer asks, then 404, the same as for an order with no payment', async () => {
    // Arrange
    const { url } = await paymentService();
    const { request } = await openCheckout();

    // Act
    const other = await call<ProblemBody>(url, 'GET', `/api/payments/orders/${request.orderId}`, {
      token: customerToken(randomUUID()),
    });
    const none = await call<ProblemBody>(url, 'GET', `/api/payments/orders/${randomUUID()}`, {
      token: customerToken(request.customerId),
    });

    // Assert
    expect(other.status).to.equal(404);
    expect(none.status).to.equal(404);
    expect(other.body.title).to.equal(none.body.title);
  });

  it('When staff with payments:read-all ask, then the payment is answered', async () => {
    // Arrange
    const { url } = await paymentService();
    const { request, checkout } = await openCheckout();

    // Act
    const answer = await call<PaymentView>(url, 'GET', `/api/payments/orders/${request.orderId}`, {
      token: adminToken(),
    });

    // Assert
    expect(answer.status).to.equal(200);
    expect(answer.body.paymentId).to.equal(checkout.paymentId);
    expect(answer.headers['cache-control']).to.equal('no-store');
  });

  it('When nobody is signed in, then 401; when the order id is not a UUID, then 400', async () => {
    // Arrange
    const { url } = await paymentService();
    const { request } = await openCheckout();

    // Act
    const anonymous = await call(url, 'GET', `/api/payments/orders/${request.orderId}`);
    const malformed = await call<ProblemBody>(url, 'GET', '/api/payments/orders/not-an-order', {
      token: adminToken(),
    });

    // Assert
    expect(anonymous.status).to.equal(401);
    expect(malformed.status).to.equal(400);
    expect(malformed.body.invalidParams[0]).to.include({ in: 'params', name: 'orderId' });
  });

  it('When order-service reads a payment that does not exist, then the client throws a 404 Problem', async () => {
    // Arrange
    const { internal } = await paymentService();

    // Act
    const error = await internal.getPayment(randomUUID()).catch((caught: unknown) => caught);

    // Assert
    expect(error).to.be.instanceOf(Problem);
    expect((error as Problem).status).to.equal(404);
  });
});
