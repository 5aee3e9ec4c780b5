import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { PaymentCheckout } from '@escalable/shop-sdk';
import { countRows } from '@escalable/shop-sdk/testing';
import {
  call,
  checkoutRequest,
  eventually,
  paymentOf,
  paymentService,
  requestCheckout,
  type ProblemBody,
} from './harness.js';

describe('POST /internal/payments', () => {
  it('When order-service asks for a checkout, then a MercadoPago preference is made for the order and its page is answered', async () => {
    // Arrange
    const { mercadopago } = await paymentService();
    const request = checkoutRequest();

    // Act
    const answer = await requestCheckout<PaymentCheckout>(request);

    // Assert
    expect(answer.status).to.equal(201);
    const preference = mercadopago.preferences().find((each) => each.id === answer.body.preferenceId)!;
    expect(answer.body).to.include({
      orderId: request.orderId,
      status: 'pending',
      checkoutUrl: preference.initPoint,
    });
    expect(answer.body.expiresAt).to.equal(request.expiresAt);
    expect(preference.externalReference).to.equal(request.orderId);
    expect(preference.total).to.equal(3500);
    expect(preference.items.map((item) => [item.title, item.quantity, item.unitPrice])).to.deep.equal([
      ['Remera Escalable', 2, 1000],
      ['Gorra', 1, 1500],
    ]);
    expect(preference.notificationUrl).to.match(/\/api\/payments\/webhooks\/mercadopago$/);
    expect(preference.backUrls.success).to.match(new RegExp(`/orders/${request.orderId}$`));
    expect(preference.autoReturn).to.equal('approved');
    expect(preference.expires).to.equal(true);
    expect(Date.parse(preference.expirationDateTo!)).to.equal(Date.parse(request.expiresAt));
    const payment = await paymentOf(request.orderId);
    expect(payment).to.include({
      paymentId: answer.body.paymentId,
      status: 'pending',
      providerPaymentId: null,
    });
    expect(payment.amount).to.deep.equal({ amount: 350_000, currency: 'ARS' });
    expect(payment.history.map((event) => [event.source, event.status])).to.deep.equal([
      ['service', 'pending'],
    ]);
  });

  it('When the same request comes again with its key, then the same checkout is answered and one preference exists', async () => {
    // Arrange
    const { mercadopago } = await paymentService();
    const request = checkoutRequest();
    const key = `checkout:${request.orderId}`;
    const first = await requestCheckout<PaymentCheckout>(request, key);

    // Act
    const [again, racing] = await Promise.all([requestCheckout(request, key), requestCheckout(request, key)]);

    // Assert
    expect(again.status).to.equal(201);
    expect(again.body).to.deep.equal(first.body);
    expect(racing.body).to.deep.equal(first.body);
    expect(
      mercadopago.preferences().filter((each) => each.externalReference === request.orderId),
    ).to.have.length(1);
  });

  it('When the same key comes with another body, then 422 and nothing new is made', async () => {
    // Arrange
    const { db } = await paymentService();
    const request = checkoutRequest();
    const key = `checkout:${request.orderId}`;
    await requestCheckout(request, key);

    // Act
    const answer = await requestCheckout<ProblemBody>(
      { ...request, payer: { email: 'other@example.com' } },
      key,
    );

    // Assert
    expect(answer.status).to.equal(422);
    expect(answer.body.type).to.match(/idempotency-key-reused$/);
    expect(await countRows(db, 'payments', { order_id: request.orderId })).to.equal(1);
  });

  it('When another request comes for an order whose checkout is live, then 409 naming the payment', async () => {
    // Arrange
    const request = checkoutRequest();
    const first = await requestCheckout<PaymentCheckout>(request);

    // Act
    const second = await requestCheckout<ProblemBody>({ ...request, payer: { email: 'again@example.com' } });

    // Assert
    expect(second.status).to.equal(409);
    expect(second.body.type).to.match(/checkout-exists$/);
    expect(second.body.paymentId).to.equal(first.body.paymentId);
  });

  it('When two different requests race for one order, then one checkout is made and the other gets 409', async () => {
    // Arrange
    const request = checkoutRequest();

    // Act
    const answers = await Promise.all(
      ['a@example.com', 'b@example.com', 'c@example.com'].map((email) =>
        requestCheckout({ ...request, payer: { email } }),
      ),
    );

    // Assert
    expect(answers.map((answer) => answer.status).sort()).to.deep.equal([201, 409, 409]);
  });

  it('When MercadoPago is down, then 503 and nothing is stored', async () => {
    // Arrange
    const { db, mercadopago } = await paymentService();
    const request = checkoutRequest();
    // Enough for the first attempt and the package's one retry, even when a background read takes some.
    mercadopago.failNext(6, 503);

    // Act
    const answer = await requestCheckout<ProblemBody>(request);

    // Assert
    expect(answer.status).to.equal(503);
    expect(answer.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(answer.body.upstream).to.equal('mercadopago');
    expect(await countRows(db, 'payments', { order_id: request.orderId })).to.equal(0);
    // Once MercadoPago answers again, the same order gets its checkout.
    await eventually(async () => (await requestCheckout(request)).status === 201, 'a checkout once back');
  });

  it('When the lines do not add up to the amount or their currency differs, then 400 naming the field', async () => {
    // Arrange
    const wrongTotal = checkoutRequest({ amount: { amount: 349_999, currency: 'ARS' } });
    const wrongCurrency = checkoutRequest();
    wrongCurrency.items[1]!.unitPrice = { amount: 150_000, currency: 'USD' };

    // Act
    const total = await requestCheckout<ProblemBody>(wrongTotal);
    const currency = await requestCheckout<ProblemBody>(wrongCurrency);

    // Assert
    expect(total.status).to.equal(400);
    expect(total.body.invalidParams.map((param) => param.name)).to.deep.equal(['amount.amount']);
    expect(currency.status).to.equal(400);
    expect(currency.body.invalidParams.map((param) => param.name)).to.deep.equal([
      'items.1.unitPrice.currency',
    ]);
  });

  it('When the request is malformed, then 400 naming each field, and no preference is made', async () => {
    // Arrange
    const { mercadopago } = await paymentService();
    const before = mercadopago.preferences().length;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...checkoutRequest(), orderId: 'A-1042' }, 'orderId'],
      [{ ...checkoutRequest(), amount: { amount: 10.5, currency: 'ARS' } }, 'amount.amount'],
      [{ ...checkoutRequest(), amount: { amount: 0, currency: 'ARS' } }, 'amount.amount'],
      [{ ...checkoutRequest(), amount: { amount: 100, currency: 'PESOS' } }, 'amount.currency'],
      [{ ...checkoutRequest(), items: [] }, 'items'],
      [{ ...checkoutRequest(), payer: { email: 'not an address' } }, 'payer.email'],
      [{ ...checkoutRequest(), expiresAt: 'tomorrow' }, 'expiresAt'],
      [{ ...checkoutRequest(), expiresAt: new Date(Date.now() - 1000).toISOString() }, 'expiresAt'],
      [{ ...checkoutRequest(), cardNumber: '4509953566233704' }, 'cardNumber'],
    ];

    // Act
    const answers = await Promise.all(cases.map(([body]) => requestCheckout<ProblemBody>(body)));

    // Assert
    answers.forEach((answer, index) => {
      expect(answer.status, cases[index]![1]).to.equal(400);
      expect(answer.body.invalidParams.map((param) => param.name)).to.include(cases[index]![1]);
    });
    expect(mercadopago.preferences().length).to.equal(before);
  });

  it('When the Idempotency-Key is missing, then 400 naming the header', async () => {
    // Act
    const answer = await requestCheckout<ProblemBody>(checkoutRequest(), null);

    // Assert
    expect(answer.status).to.equal(400);
    expect(answer.body.invalidParams[0]).to.include({ in: 'header', name: 'Idempotency-Key' });
  });

  it('When the caller has no service credentials, then 401', async () => {
    // Arrange
    const { url } = await paymentService();

    // Act
    const answer = await call(url, 'POST', '/internal/payments', {
      headers: { 'idempotency-key': `checkout:${randomUUID()}` },
      body: checkoutRequest(),
    });

    // Assert
    expect(answer.status).to.equal(401);
  });
});
