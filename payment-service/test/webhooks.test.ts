import { expect } from 'chai';
import { countRows } from '@escalable/shop-sdk/testing';
import {
  call,
  eventually,
  notification,
  openCheckout,
  paymentOf,
  paymentReaching,
  paymentService,
  settle,
  type ProblemBody,
} from './harness.js';

/** The results order-service received about an order. */
async function resultsOf(orderId: string) {
  return (await paymentService()).orders.results.filter((each) => each.orderId === orderId);
}

describe('POST /api/payments/webhooks/mercadopago', () => {
  it('When the buyer approves on the checkout page, then the payment is approved and order-service is told once', async () => {
    // Arrange
    const { mercadopago } = await paymentService();
    const { request, checkout } = await openCheckout();

    // Act
    const paid = await mercadopago.pay(checkout.preferenceId, 'approve');

    // Assert
    const payment = await paymentReaching(request.orderId, 'approved');
    expect(payment.providerPaymentId).to.equal(String(paid.id));
    expect(payment.history.map((event) => [event.source, event.status])).to.deep.equal([
      ['service', 'pending'],
      ['webhook', 'approved'],
    ]);
    const [result] = await eventually(async () => {
      const results = await resultsOf(request.orderId);
      return results.length > 0 && results;
    }, 'the result at order-service');
    expect(result!.idempotencyKey).to.equal(`${checkout.paymentId}:approved`);
    expect(result!.result).to.include({
      orderId: request.orderId,
      paymentId: checkout.paymentId,
      status: 'approved',
      providerPaymentId: String(paid.id),
    });
    expect(result!.result.amount).to.deep.equal({ amount: 350_000, currency: 'ARS' });
    const answered = mercadopago.notifications().filter((each) => each.paymentId === String(paid.id));
    expect(answered.map((each) => each.status)).to.deep.equal([200]);
  });

  it('When the buyer is rejected, then the payment is rejected and order-service is told', async () => {
    // Arrange
    const { mercadopago } = await paymentService();
    const { request, checkout } = await openCheckout();

    // Act
    await mercadopago.pay(checkout.preferenceId, 'reject');

    // Assert
    await paymentReaching(request.orderId, 'rejected');
    const results = await eventually(async () => {
      const received = await resultsOf(request.orderId);
      return received.length > 0 && received;
    }, 'the result at order-service');
    expect(results.map((each) => each.result.status)).to.deep.equal(['rejected']);
  });

  it('When MercadoPago sends a notification twice, then the payment changes once and order-service is told once', async () => {
    // Arrange
    const { mercadopago } = await paymentService();
    const { request, checkout } = await openCheckout();
    mercadopago.duplicateNextNotifications(1);

    // Act
    const paid = await mercadopago.pay(checkout.preferenceId, 'approve');

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
    expect(payment.history.map((event) => event.status)).to.deep.equal(['pending', 'approved']);
    expect((await resultsOf(request.orderId)).map((each) => each.result.status)).to.deep.equal(['approved']);
  });

  it('When a notification arrives after a later state is known, then nothing moves back', async () => {
    // Arrange: approved, then MercadoPago answers an older state (in process) for a late notification
    const { mercadopago, url } = await paymentService();
    const { request, checkout } = await openCheckout();
    const paid = await mercadopago.pay(checkout.preferenceId, 'approve');
    await paymentReaching(request.orderId, 'approved');
    await mercadopago.setPaymentStatus(paid.id, 'in_process');
    const late = notification(String(paid.id));

    // Act
    const answer = await call(url, 'POST', late.path, { headers: late.headers, body: late.body });

    // Assert
    expect(answer.status).to.equal(200);
    await settle();
    const payment = await paymentOf(request.orderId);
    expect(payment.status).to.equal('approved');
    expect(payment.history.map((event) => event.status)).to.deep.equal(['pending', 'approved']);
  });

  it('When a rejected payment is later reported approved, then it stays rejected', async () => {
    // Arrange
    const { mercadopago } = await paymentService();
    const { request, checkout } = await openCheckout();
    const paid = await mercadopago.pay(checkout.preferenceId, 'reject');
    await paymentReaching(request.orderId, 'rejected');

    // Act
    await mercadopago.setPaymentStatus(paid.id, 'approved');

    // Assert
    await eventually(
      () =>
        mercadopago
          .notifications()
          .filter((each) => each.paymentId === String(paid.id) && each.status === 200).length === 2,
      'the second notification answered',
    );
    await settle();
    expect((await paymentOf(request.orderId)).status).to.equal('rejected');
    expect((await resultsOf(request.orderId)).map((each) => each.result.status)).to.deep.equal(['rejected']);
  });

  it('When an approved payment is charged back, then it becomes charged_back and order-service is told', async () => {
    // Arrange
    const { mercadopago } = await paymentService();
    const { request, checkout } = await openCheckout();
    const paid = await mercadopago.pay(checkout.preferenceId, 'approve');
    await paymentReaching(request.orderId, 'approved');

    // Act
    await mercadopago.setPaymentStatus(paid.id, 'charged_back');

    // Assert
    await paymentReaching(request.orderId, 'charged_back');
    await eventually(
      async () => (await resultsOf(request.orderId)).some((each) => each.result.status === 'charged_back'),
      'the chargeback at order-service',
    );
  });

  it('When the buyer is rejected and then pays on the same checkout, then the new attempt approves the payment and order-service is told', async () => {
    // Arrange
    const { mercadopago } = await paymentService();
    const { request, checkout } = await openCheckout();
    await mercadopago.pay(checkout.preferenceId, 'reject');
    await paymentReaching(request.orderId, 'rejected');

    // Act
    const retry = await mercadopago.pay(checkout.preferenceId, 'approve');

    // Assert
    const payment = await paymentReaching(request.orderId, 'approved');
    expect(payment.providerPaymentId).to.equal(String(retry.id));
    expect(payment.history.map((event) => event.status)).to.deep.equal(['pending', 'rejected', 'approved']);
    await eventually(
      async () =>
        (await resultsOf(request.orderId)).map((each) => each.result.status).join() === 'rejected,approved',
      'both results at order-service',
    );
  });

  it('When an attempt is rejected while another one is in review, then the payment stays in process', async () => {
    // Arrange: the first attempt goes to review; the buyer's other attempt is rejected
    const { mercadopago } = await paymentService();
    const { request, checkout } = await openCheckout();
    mercadopago.dropNextNotifications(1);
    const inReview = await mercadopago.pay(checkout.preferenceId, 'approve');
    await mercadopago.setPaymentStatus(inReview.id, 'in_process');
    await paymentReaching(request.orderId, 'in_process');

    // Act
    const rejected = await mercadopago.pay(checkout.preferenceId, 'reject');

    // Assert
    await eventually(
      () =>
        mercadopago
          .notifications()
          .some((each) => each.paymentId === String(rejected.id) && each.status === 200),
      'the rejection answered',
    );
    await settle();
    const payment = await paymentOf(request.orderId);
    expect(payment).to.include({ status: 'in_process', providerPaymentId: String(inReview.id) });
    expect(await resultsOf(request.orderId)).to.deep.equal([]);
  });

  it('When MercadoPago is down as a signed notification arrives, then it is answered 200 at once and settles once MercadoPago answers', async () => {
    // Arrange
    const { mercadopago, url } = await paymentService();
    const { request, checkout } = await openCheckout();
    mercadopago.dropNextNotifications(1);
    const paid = await mercadopago.pay(checkout.preferenceId, 'approve');
    const signed = notification(String(paid.id));
    mercadopago.failNext(6, 503);

    // Act
    const startedAt = Date.now();
    const answer = await call(url, 'POST', signed.path, { headers: signed.headers, body: signed.body });
    const tookMs = Date.now() - startedAt;

    // Assert
    expect(answer.status).to.equal(200);
    expect(tookMs).to.be.below(1_000);
    await paymentReaching(request.orderId, 'approved', 15_000);
  });

  describe('signatures', () => {
    const cases: Array<[string, (dataId: string) => { headers: Record<string, string> }]> = [
      ['signed with another secret', (dataId) => notification(dataId, { secret: 'not-the-webhook-secret' })],
      ['signed for another payment', (dataId) => ({ headers: notification(`${dataId}9`).headers })],
      [
        'signed for another request id',
        (dataId) => {
          const { headers } = notification(dataId);
          return { headers: { ...headers, 'x-request-id': '9f1c3b8e-0000-4000-8000-000000000000' } };
        },
      ],
      [
        'signed 10 minutes ago',
        (dataId) => notification(dataId, { ts: Math.floor(Date.now() / 1000) - 600 }),
      ],
      [
        'signed 10 minutes ahead',
        (dataId) => notification(dataId, { ts: Math.floor(Date.now() / 1000) + 600 }),
      ],
      [
        'without x-signature',
        (dataId) => ({ headers: { 'x-request-id': notification(dataId).headers['x-request-id'] } }),
      ],
      [
        'with a malformed x-signature',
        () => ({ headers: { 'x-signature': 'garbage', 'x-request-id': 'abc' } }),
      ],
    ];
    for (const [name, signed] of cases) {
      it(`When a notification comes ${name}, then 401 and nothing is stored or changed`, async () => {
        // Arrange: a payment whose own notification was lost, so only this one could settle it
        const { mercadopago, url, db } = await paymentService();
        const { request, checkout } = await openCheckout();
        mercadopago.dropNextNotifications(1);
        const paid = await mercadopago.pay(checkout.preferenceId, 'approve');
        const dataId = String(paid.id);
        const stored = await countRows(db, 'webhook_events', { data_id: dataId });

        // Act
        const answer = await call<ProblemBody>(url, 'POST', notification(dataId).path, {
          headers: signed(dataId).headers,
          body: notification(dataId).body,
        });

        // Assert
        expect(answer.status).to.equal(401);
        expect(answer.headers['content-type']).to.match(/^application\/problem\+json/);
        expect(await countRows(db, 'webhook_events', { data_id: dataId })).to.equal(stored);
        expect((await paymentOf(request.orderId)).history.map((event) => event.source)).to.not.include(
          'webhook',
        );
      });
    }

    it('When a hostile body comes without a valid signature, then 401 or 400, never a stored event', async () => {
      // Arrange
      const { url, db } = await paymentService();
      const bodies = [
        {},
        { data: { id: "1' OR '1'='1" } },
        { data: [1, 2, 3] },
        { action: 'x'.repeat(50_000) },
      ];
      const before = await countRows(db, 'webhook_events');

      // Act
      const answers = await Promise.all(
        bodies.map((body) =>
          call(url, 'POST', '/api/payments/webhooks/mercadopago?data.id=1&type=payment', { body }),
        ),
      );

      // Assert
      expect(answers.map((answer) => answer.status)).to.deep.equal([401, 401, 401, 401]);
      expect(await countRows(db, 'webhook_events')).to.equal(before);
    });

    it('When a correctly signed notification comes, then 200 at once and the payment is read from MercadoPago, not from the body', async () => {
      // Arrange
      const { mercadopago, url } = await paymentService();
      const { request, checkout } = await openCheckout();
      mercadopago.dropNextNotifications(1);
      const paid = await mercadopago.pay(checkout.preferenceId, 'reject');
      const signed = notification(String(paid.id));

      // Act: the body claims an approval; MercadoPago says rejected
      const answer = await call(url, 'POST', signed.path, {
        headers: signed.headers,
        body: { ...signed.body, action: 'payment.updated', status: 'approved' },
      });

      // Assert
      expect(answer.status).to.equal(200);
      const payment = await paymentReaching(request.orderId, 'rejected');
      expect(payment.history.at(-1)!.source).to.equal('webhook');
    });
  });
});
