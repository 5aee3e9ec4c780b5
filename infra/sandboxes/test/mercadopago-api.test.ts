import { expect } from 'chai';
import {
  MPAuthenticationError,
  MPBadRequestError,
  MPNotFoundError,
  MPServerError,
  Payment,
  PaymentRefund,
  Preference,
  type MercadoPagoError,
} from 'mercadopago';
import { startMercadoPagoSandbox, type MercadoPagoSandbox } from '../src/index.js';
import { ACCESS_TOKEN, mercadoPagoClient, preferenceBody, WEBHOOK_SECRET } from './mercadopago-fixture.js';

const RECEIVER = 'http://127.0.0.1:9';

describe('MercadoPago sandbox: the API', () => {
  let sandbox: MercadoPagoSandbox;

  beforeEach(async () => {
    sandbox = await startMercadoPagoSandbox({
      accessToken: ACCESS_TOKEN,
      webhookSecret: WEBHOOK_SECRET,
      notifyRetryDelaysMs: [],
    });
  });

  afterEach(() => sandbox.close());

  const client = (accessToken?: string) => mercadoPagoClient(sandbox.url, accessToken, { maxRetries: 0 });
  const rejectionOf = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.fail('the call should have been refused'),
      (error: unknown) => error as MercadoPagoError,
    );

  async function approvedPayment(orderId = 'order-1') {
    const preference = await new Preference(client()).create({ body: preferenceBody(RECEIVER, orderId) });
    return sandbox.pay(preference.id!, 'approve');
  }

  it('When Preference.create is called, then it gets a 201 preference whose init_point is the sandbox checkout page, and Preference.get reads it back', async () => {
    // Act
    const created = await new Preference(client()).create({ body: preferenceBody(RECEIVER) });

    // Assert
    expect(created.api_response.status).to.equal(201);
    expect(created.id).to.match(/^1000000001-[0-9a-f-]{36}$/);
    expect(created.init_point).to.equal(
      `${sandbox.url}/checkout/v1/redirect?pref_id=${encodeURIComponent(created.id!)}`,
    );
    expect(created).to.include({
      external_reference: 'order-1',
      notification_url: `${RECEIVER}/api/payments/webhooks/mercadopago?source_news=webhooks`,
      auto_return: 'approved',
      expires: true,
      collector_id: 1000000001,
      site_id: 'MLA',
    });
    expect(created.items!.map((item) => [item.title, item.quantity, item.unit_price])).to.deep.equal([
      ['Yerba mate 1 kg', 2, 4000.5],
      ['Bombilla', 1, 1999],
    ]);
    expect(created.back_urls!.success).to.equal('http://shop.test/orders/order-1?paid=1');
    const [stored] = sandbox.preferences();
    expect(stored).to.include({
      id: created.id,
      total: 10_000,
      currencyId: 'ARS',
      externalReference: 'order-1',
    });
    const fetched = await new Preference(client()).get({ preferenceId: created.id! });
    expect(fetched.id).to.equal(created.id);
    expect(fetched.items).to.deep.equal(created.items);
  });

  it('When the same X-Idempotency-Key is sent twice, then the second call gets the same preference and nothing new is created', async () => {
    // Arrange
    const body = preferenceBody(RECEIVER);

    // Act
    const first = await new Preference(client()).create({
      body,
      requestOptions: { idempotencyKey: 'order-1:1' },
    });
    const again = await new Preference(client()).create({
      body,
      requestOptions: { idempotencyKey: 'order-1:1' },
    });
    const other = await new Preference(client()).create({
      body,
      requestOptions: { idempotencyKey: 'order-1:2' },
    });

    // Assert
    expect(again.id).to.equal(first.id);
    expect(again.api_response.status).to.equal(201);
    expect(other.id).not.to.equal(first.id);
    expect(sandbox.preferences().map((preference) => preference.id)).to.have.members([first.id, other.id]);
  });

  it('When the access token is wrong or missing, then the client gets 401 unauthorized and nothing is created', async () => {
    // Act
    const wrong = await rejectionOf(
      new Preference(client('APP_USR-wrong')).create({ body: preferenceBody(RECEIVER) }),
    );
    const missing = await fetch(`${sandbox.url}/v1/payments/search`);

    // Assert
    expect(wrong).to.be.instanceOf(MPAuthenticationError);
    expect(wrong).to.include({ status: 401, error: 'unauthorized', message: 'invalid access token' });
    expect(wrong.causes).to.have.length(1);
    expect(missing.status).to.equal(401);
    expect(await missing.json()).to.include({ error: 'unauthorized', status: 401 });
    expect(sandbox.preferences()).to.deep.equal([]);
  });

  it('When a preference has no items, a zero quantity or auto_return without a success back_url, then the client gets 400 naming it', async () => {
    // Arrange
    const body = preferenceBody(RECEIVER);

    // Act
    const noItems = await rejectionOf(new Preference(client()).create({ body: { ...body, items: [] } }));
    const zero = await rejectionOf(
      new Preference(client()).create({ body: { ...body, items: [{ ...body.items[0]!, quantity: 0 }] } }),
    );
    const autoReturn = await rejectionOf(
      new Preference(client()).create({ body: { ...body, back_urls: { failure: 'http://shop.test/f' } } }),
    );

    // Assert
    for (const error of [noItems, zero, autoReturn]) expect(error).to.be.instanceOf(MPBadRequestError);
    expect(noItems.message).to.equal('items needed');
    expect(zero.message).to.equal('quantity invalid');
    expect(autoReturn.message).to.equal('auto_return invalid. back_url.success must be defined');
    expect(sandbox.preferences()).to.deep.equal([]);
  });

  it('When a paid payment is read with Payment.get and Payment.search, then both show it approved for the order', async () => {
    // Arrange
    const paid = await approvedPayment('order-7');
    await approvedPayment('order-8');

    // Act
    const payment = await new Payment(client()).get({ id: paid.id });
    const found = await new Payment(client()).search({ options: { external_reference: 'order-7' } });

    // Assert
    expect(payment).to.include({
      id: paid.id,
      status: 'approved',
      status_detail: 'accredited',
      external_reference: 'order-7',
      transaction_amount: 10_000,
      transaction_amount_refunded: 0,
      currency_id: 'ARS',
      live_mode: false,
    });
    expect(payment.date_approved).to.be.a('string');
    expect(found.paging).to.deep.equal({ total: 1, limit: 30, offset: 0 });
    expect(found.results!.map((result) => result.id)).to.deep.equal([paid.id]);
  });

  it('When an unknown payment is read, then the client gets 404 Payment not found', async () => {
    // Act
    const error = await rejectionOf(new Payment(client()).get({ id: 123 }));

    // Assert
    expect(error).to.be.instanceOf(MPNotFoundError);
    expect(error.message).to.equal('Payment not found');
    expect(error.causes).to.deep.equal([{ code: 2000, description: 'Payment not found', data: null }]);
  });

  it('When PaymentRefund.create has no amount, then the whole payment is refunded and its status becomes refunded', async () => {
    // Arrange
    const paid = await approvedPayment();

    // Act
    const refund = await new PaymentRefund(client()).create({ payment_id: paid.id });
    const payment = await new Payment(client()).get({ id: paid.id });

    // Assert
    expect(refund.api_response.status).to.equal(201);
    expect(refund).to.include({ payment_id: paid.id, amount: 10_000, status: 'approved' });
    expect(payment).to.include({
      status: 'refunded',
      status_detail: 'refunded',
      transaction_amount_refunded: 10_000,
    });
    expect(payment.refunds!.map((r) => r.id)).to.deep.equal([refund.id]);
  });

  it('When partial refunds are made, then the payment stays approved until nothing is left, and a refund beyond that is refused', async () => {
    // Arrange
    const paid = await approvedPayment();
    const refunds = new PaymentRefund(client());

    // Act
    await refunds.create({ payment_id: paid.id, body: { amount: 2500.25 } });
    const partly = await new Payment(client()).get({ id: paid.id });
    const tooMuch = await rejectionOf(
      new PaymentRefund(client()).create({ payment_id: paid.id, body: { amount: 7500 } }),
    );
    await new PaymentRefund(client()).create({ payment_id: paid.id, body: { amount: 7499.75 } });
    const whole = await new Payment(client()).get({ id: paid.id });
    const afterwards = await rejectionOf(new PaymentRefund(client()).create({ payment_id: paid.id }));

    // Assert
    expect(partly).to.include({
      status: 'approved',
      status_detail: 'partially_refunded',
      transaction_amount_refunded: 2500.25,
    });
    expect(tooMuch).to.be.instanceOf(MPBadRequestError);
    expect(tooMuch.causes[0]).to.include({ code: 'refund_amount_exceeds' });
    expect(whole).to.include({ status: 'refunded', transaction_amount_refunded: 10_000 });
    expect(whole.refunds!.map((refund) => refund.amount)).to.deep.equal([2500.25, 7499.75]);
    expect(afterwards.status).to.equal(400);
    expect(afterwards.causes[0]).to.include({ code: 2063 });
  });

  it('When a rejected payment or an unknown one is refunded, then the client gets 400 and 404', async () => {
    // Arrange
    const preference = await new Preference(client()).create({ body: preferenceBody(RECEIVER) });
    const rejected = await sandbox.pay(preference.id!, 'reject');

    // Act
    const ofRejected = await rejectionOf(new PaymentRefund(client()).create({ payment_id: rejected.id }));
    const ofUnknown = await rejectionOf(new PaymentRefund(client()).create({ payment_id: 42 }));

    // Assert
    expect(ofRejected.status).to.equal(400);
    expect(ofRejected.message).to.equal('The action requested is not valid for the current payment state');
    expect(ofUnknown).to.be.instanceOf(MPNotFoundError);
    expect(sandbox.payments()[0]!.refunds).to.deep.equal([]);
  });

  it('When the same refund is sent again with its idempotency key, then the payment is refunded once', async () => {
    // Arrange
    const paid = await approvedPayment();
    const send = () =>
      new PaymentRefund(client()).create({
        payment_id: paid.id,
        body: { amount: 1000 },
        requestOptions: { idempotencyKey: 'refund-order-1-1' },
      });

    // Act
    const first = await send();
    const again = await send();

    // Assert
    expect(again.id).to.equal(first.id);
    expect(sandbox.payments()[0]).to.include({ amountRefunded: 1000, status: 'approved' });
  });

  it('When the next call is set to fail with 503, then the client sees MercadoPago error body and the call after it succeeds', async () => {
    // Arrange
    sandbox.failNext(1, 503);

    // Act
    const error = await rejectionOf(new Preference(client()).create({ body: preferenceBody(RECEIVER) }));
    const created = await new Preference(client()).create({ body: preferenceBody(RECEIVER) });

    // Assert
    expect(error).to.be.instanceOf(MPServerError);
    expect(error).to.include({ status: 503, error: 'service_unavailable' });
    expect(created.id).to.be.a('string');
    expect(sandbox.preferences()).to.have.length(1);
  });
});
