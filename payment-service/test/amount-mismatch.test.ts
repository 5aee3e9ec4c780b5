import { expect } from 'chai';
import {
  ACCESS_TOKEN,
  call,
  eventually,
  openCheckout,
  paymentOf,
  paymentService,
  settle,
} from './harness.js';

/**
 * A checkout someone else opens at MercadoPago naming our order (its external_reference) and our
 * webhook, priced as they like: MercadoPago approves whatever that preference asks for.
 */
async function payOrderElsewhere(orderId: string, shopPreferenceId: string, price: number, currency: string) {
  const { mercadopago } = await paymentService();
  const ours = mercadopago.preferences().find((each) => each.id === shopPreferenceId)!;
  const created = await call<{ id: string }>(mercadopago.url, 'POST', '/checkout/preferences/', {
    headers: { authorization: `Bearer ${ACCESS_TOKEN}` },
    body: {
      items: [{ id: '1', title: 'Anything', quantity: 1, unit_price: price, currency_id: currency }],
      external_reference: orderId,
      notification_url: ours.notificationUrl,
    },
  });
  expect(created.status).to.equal(201);
  return mercadopago.pay(created.body.id, 'approve');
}

describe('Payments approved for another amount than the order', () => {
  for (const [what, price, currency, paid] of [
    ['ARS 1.00', 1, 'ARS', '100 ARS'],
    ['USD 3500.00', 3_500, 'USD', '350000 USD'],
  ] as const) {
    it(`When MercadoPago approves ${what} for an order of ARS 3500.00, then the payment stays pending with an amount-mismatch event and order-service is not told`, async () => {
      // Arrange
      const { orders } = await paymentService();
      const { request, checkout } = await openCheckout();

      // Act
      const paidElsewhere = await payOrderElsewhere(request.orderId, checkout.preferenceId, price, currency);

      // Assert
      const payment = await eventually(async () => {
        const view = await paymentOf(request.orderId);
        return view.history.length > 1 && view;
      }, 'the mismatch in the history');
      await settle();
      expect(payment.status).to.equal('pending');
      expect(payment.history.map((event) => [event.status, event.detail])).to.deep.equal([
        ['pending', payment.history[0]!.detail],
        ['pending', `amount-mismatch: paid ${paid}, expected 350000 ARS`],
      ]);
      expect((await paymentOf(request.orderId)).status).to.equal('pending');
      expect(orders.results.filter((each) => each.orderId === request.orderId)).to.deep.equal([]);
      expect(paidElsewhere.status).to.equal('approved');
    });
  }
});

describe('A payment for another amount notified again', () => {
  it('When MercadoPago notifies the same mismatched payment twice, then the history names the mismatch once', async () => {
    // Arrange
    const { mercadopago } = await paymentService();
    const { request, checkout } = await openCheckout();
    mercadopago.duplicateNextNotifications(1);

    // Act
    const paid = await payOrderElsewhere(request.orderId, checkout.preferenceId, 1, 'ARS');

    // Assert
    await eventually(
      () =>
        mercadopago
          .notifications()
          .filter((each) => each.paymentId === String(paid.id) && each.status === 200).length === 2,
      'both notifications answered',
    );
    await settle();
    const payment = await paymentOf(request.orderId);
    expect(payment.history.map((event) => event.detail?.split(':')[0] ?? null)).to.deep.equal([
      payment.history[0]!.detail?.split(':')[0] ?? null,
      'amount-mismatch',
    ]);
  });
});
