import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { PaymentView } from '@escalable/shop-sdk';
import {
  eventually,
  openCheckout,
  paymentOf,
  paymentReaching,
  paymentService,
  requestRefund,
  type ProblemBody,
} from './harness.js';

/** A checkout paid (3 500.00 ARS) and settled. */
async function approvedPayment() {
  const { mercadopago } = await paymentService();
  const { request, checkout } = await openCheckout();
  const paid = await mercadopago.pay(checkout.preferenceId, 'approve');
  await paymentReaching(request.orderId, 'approved');
  return { orderId: request.orderId, paymentId: checkout.paymentId, providerPaymentId: paid.id };
}

describe('POST /internal/payments/orders/:orderId/refunds', () => {
  it('When order-service asks for a full refund, then MercadoPago refunds it all and order-service is told', async () => {
    // Arrange
    const { mercadopago, orders } = await paymentService();
    const { orderId, paymentId, providerPaymentId } = await approvedPayment();

    // Act
    const answer = await requestRefund<PaymentView>(orderId, { reason: 'Order cancelled by the customer' });

    // Assert
    expect(answer.status).to.equal(200);
    expect(answer.body.status).to.equal('refunded');
    expect(answer.body.refunded).to.deep.equal({ amount: 350_000, currency: 'ARS' });
    expect(answer.body.history.at(-1)).to.include({ source: 'service', status: 'refunded' });
    expect(answer.body.history.at(-1)!.detail).to.include('Order cancelled by the customer');
    const provider = mercadopago.payments().find((each) => each.id === providerPaymentId)!;
    expect(provider.refunds.map((refund) => refund.amount)).to.deep.equal([3500]);
    const result = await eventually(
      () => orders.results.find((each) => each.idempotencyKey === `${paymentId}:refunded`),
      'the refund at order-service',
    );
    expect(result.result.refunded).to.deep.equal({ amount: 350_000, currency: 'ARS' });
  });

  it('When order-service refunds part, then twice more than what remains is refused and the rest can follow', async () => {
    // Arrange
    const { mercadopago } = await paymentService();
    const { orderId, providerPaymentId } = await approvedPayment();

    // Act
    const part = await requestRefund<PaymentView>(orderId, {
      amount: { amount: 100_050, currency: 'ARS' },
      reason: 'A missing item',
    });
    const tooMuch = await requestRefund<ProblemBody>(orderId, {
      amount: { amount: 250_000, currency: 'ARS' },
      reason: 'Too much',
    });
    const rest = await requestRefund<PaymentView>(orderId, { reason: 'Cancelled after all' });

    // Assert
    expect(part.status).to.equal(200);
    expect(part.body.status).to.equal('partially_refunded');
    expect(part.body.refunded.amount).to.equal(100_050);
    expect(tooMuch.status).to.equal(409);
    expect(tooMuch.body.type).to.match(/refund-exceeds-payment$/);
    expect(tooMuch.body.remaining).to.deep.equal({ amount: 249_950, currency: 'ARS' });
    expect(rest.body.status).to.equal('refunded');
    expect(rest.body.refunded.amount).to.equal(350_000);
    const provider = mercadopago.payments().find((each) => each.id === providerPaymentId)!;
    expect(provider.refunds.map((refund) => refund.amount)).to.deep.equal([1000.5, 2499.5]);
  });

  it('When the same refund comes again with its key, then MercadoPago refunds once', async () => {
    // Arrange
    const { mercadopago } = await paymentService();
    const { orderId, providerPaymentId } = await approvedPayment();
    const key = `refund:${randomUUID()}`;
    const body = { amount: { amount: 50_000, currency: 'ARS' }, reason: 'Late delivery' };

    // Act
    const first = await requestRefund<PaymentView>(orderId, body, key);
    const again = await requestRefund<PaymentView>(orderId, body, key);
    const other = await requestRefund<ProblemBody>(orderId, { ...body, reason: 'Another reason' }, key);

    // Assert
    expect(first.status).to.equal(200);
    expect(again.status).to.equal(200);
    expect(again.body.refunded.amount).to.equal(50_000);
    expect(other.status).to.equal(422);
    const provider = mercadopago.payments().find((each) => each.id === providerPaymentId)!;
    expect(provider.refunds).to.have.length(1);
  });

  it('When nothing paid is there to refund, then 409 and MercadoPago is not asked', async () => {
    // Arrange
    const { request } = await openCheckout();

    // Act
    const answer = await requestRefund<ProblemBody>(request.orderId, { reason: 'Cancelled' });

    // Assert
    expect(answer.status).to.equal(409);
    expect(answer.body.type).to.match(/nothing-to-refund$/);
    expect((await paymentOf(request.orderId)).status).to.equal('pending');
  });

  it('When the order has no payment, then 404; when the body is wrong, then 400', async () => {
    // Arrange
    const { orderId } = await approvedPayment();

    // Act
    const unknown = await requestRefund<ProblemBody>(randomUUID(), { reason: 'Cancelled' });
    const noReason = await requestRefund<ProblemBody>(orderId, {});
    const otherCurrency = await requestRefund<ProblemBody>(orderId, {
      amount: { amount: 100, currency: 'USD' },
      reason: 'x',
    });

    // Assert
    expect(unknown.status).to.equal(404);
    expect(noReason.status).to.equal(400);
    expect(noReason.body.invalidParams.map((param) => param.name)).to.deep.equal(['reason']);
    expect(otherCurrency.status).to.equal(400);
    expect((await paymentOf(orderId)).refunded.amount).to.equal(0);
  });

  it('When MercadoPago is down, then 503 and the amount is still there to refund', async () => {
    // Arrange
    const { mercadopago } = await paymentService();
    const { orderId } = await approvedPayment();
    mercadopago.failNext(6, 503);

    // Act
    const answer = await requestRefund<ProblemBody>(orderId, { reason: 'Cancelled' });

    // Assert
    expect(answer.status).to.equal(503);
    expect((await paymentOf(orderId)).status).to.equal('approved');
    await eventually(
      async () => (await requestRefund(orderId, { reason: 'Cancelled' })).status === 200,
      'a refund once back',
    );
    expect((await paymentOf(orderId)).status).to.equal('refunded');
  });
});
