import { expect } from 'chai';
import {
  InvalidWebhookSignatureError,
  Payment,
  PaymentRefund,
  Preference,
  WebhookSignatureValidator,
} from 'mercadopago';
import { startMercadoPagoSandbox, type MercadoPagoSandbox } from '../src/index.js';
import {
  ACCESS_TOKEN,
  mercadoPagoClient,
  preferenceBody,
  startNotificationReceiver,
  WEBHOOK_SECRET,
  type ReceivedNotification,
  until,
} from './mercadopago-fixture.js';

describe('MercadoPago sandbox: the checkout page and webhooks', () => {
  let sandbox: MercadoPagoSandbox;
  let receiver: Awaited<ReturnType<typeof startNotificationReceiver>>;

  async function start(answers: number[] = []) {
    receiver = await startNotificationReceiver(answers);
  }

  beforeEach(async () => {
    sandbox = await startMercadoPagoSandbox({
      accessToken: ACCESS_TOKEN,
      webhookSecret: WEBHOOK_SECRET,
      notifyRetryDelaysMs: [20, 40, 80],
    });
    await start();
  });

  afterEach(async () => {
    await sandbox.close();
    await receiver.close();
  });

  const createPreference = async (body: object = preferenceBody(receiver.url)) =>
    new Preference(mercadoPagoClient(sandbox.url)).create({
      body: body as ReturnType<typeof preferenceBody>,
    });

  const postForm = (initPoint: string, action: string) =>
    fetch(initPoint, {
      method: 'POST',
      body: new URLSearchParams({ action }),
      redirect: 'manual',
    });

  /** What payment-service's webhook route does first: WebhookSignatureValidator over the headers and query. */
  function validate(notification: ReceivedNotification, secret = WEBHOOK_SECRET) {
    WebhookSignatureValidator.validate({
      xSignature: notification.signature,
      xRequestId: notification.requestId,
      dataId: notification.query.get('data.id') ?? undefined,
      secret,
      toleranceSeconds: 300,
    });
  }

  it('When the init_point is opened, then the page shows every item and the total, escaped, with approve and reject buttons', async () => {
    // Arrange
    const body = preferenceBody(receiver.url);
    body.items[1]!.title = '<script>alert("x")</script> & mate';
    const preference = await createPreference(body);

    // Act
    const res = await fetch(preference.init_point!);
    const html = await res.text();

    // Assert
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    expect(res.headers.get('content-security-policy')).to.include("default-src 'none'");
    expect(html).to.include('Yerba mate 1 kg');
    expect(html).to.include('ARS 4000.50');
    expect(html).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; mate');
    expect(html).not.to.include('<script>');
    expect(html).to.include('<span id="total">ARS 10000.00</span>');
    expect(html).to.include('ana@example.com');
    expect(html).to.match(/<form method="post" action="\/checkout\/v1\/redirect\?pref_id=[^"]+">/);
    expect(html).to.include('name="action" value="approve"');
    expect(html).to.include('name="action" value="reject"');
  });

  it('When the buyer approves on the page, then the browser goes 303 to back_urls.success with MercadoPago parameters and the payment is approved', async () => {
    // Arrange
    const preference = await createPreference();

    // Act
    const res = await postForm(preference.init_point!, 'approve');

    // Assert
    expect(res.status).to.equal(303);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).to.equal('http://shop.test/orders/order-1');
    const [payment] = sandbox.payments();
    expect(Object.fromEntries(location.searchParams)).to.include({
      paid: '1',
      collection_id: String(payment!.id),
      collection_status: 'approved',
      payment_id: String(payment!.id),
      status: 'approved',
      external_reference: 'order-1',
      preference_id: preference.id,
      merchant_order_id: String(payment!.merchantOrderId),
    });
    const read = await new Payment(mercadoPagoClient(sandbox.url)).get({ id: payment!.id });
    expect(read).to.include({
      status: 'approved',
      external_reference: 'order-1',
      transaction_amount: 10_000,
    });
  });

  it('When the buyer rejects on the page, then the browser goes to back_urls.failure and the payment is rejected', async () => {
    // Arrange
    const preference = await createPreference();

    // Act
    const res = await postForm(preference.init_point!, 'reject');

    // Assert
    expect(res.status).to.equal(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.pathname).to.equal('/orders/order-1/payment-failed');
    expect(location.searchParams.get('status')).to.equal('rejected');
    expect(sandbox.payments()[0]).to.include({
      status: 'rejected',
      statusDetail: 'cc_rejected_other_reason',
    });
  });

  it('When the preference has no back_urls, then approving answers a page saying the payment is approved', async () => {
    // Arrange
    const { back_urls: _backUrls, auto_return: _autoReturn, ...body } = preferenceBody(receiver.url);
    const preference = await createPreference(body);

    // Act
    const res = await postForm(preference.init_point!, 'approve');

    // Assert
    expect(res.status).to.equal(200);
    const html = await res.text();
    expect(html).to.include('<h1>Payment approved</h1>');
    expect(html).to.include(`Payment ${sandbox.payments()[0]!.id}: ARS 10000.00`);
  });

  it('When the form posts something other than approve or reject, or the preference does not exist, then no payment is made', async () => {
    // Arrange
    const preference = await createPreference();

    // Act
    const bogus = await postForm(preference.init_point!, 'steal');
    const unknown = await postForm(`${sandbox.url}/checkout/v1/redirect?pref_id=nope`, 'approve');
    const unknownPage = await fetch(`${sandbox.url}/checkout/v1/redirect?pref_id=nope`);

    // Assert
    expect(bogus.status).to.equal(400);
    expect(unknown.status).to.equal(404);
    expect(unknownPage.status).to.equal(404);
    expect(await unknownPage.text()).to.include('This payment link does not exist.');
    expect(sandbox.payments()).to.deep.equal([]);
  });

  it('When the preference has expired, then its page says so with 410 and approving makes no payment', async () => {
    // Arrange
    const preference = await createPreference({
      ...preferenceBody(receiver.url),
      expiration_date_to: new Date(Date.now() - 1_000).toISOString(),
    });

    // Act
    const pageRes = await fetch(preference.init_point!);
    const posted = await postForm(preference.init_point!, 'approve');

    // Assert
    expect(pageRes.status).to.equal(410);
    expect(await pageRes.text()).to.include('This payment link has expired.');
    expect(posted.status).to.equal(410);
    expect(sandbox.payments()).to.deep.equal([]);
  });

  it('When a payment is made, then notification_url gets payment.created, signed so that WebhookSignatureValidator accepts it', async () => {
    // Arrange
    const preference = await createPreference();

    // Act
    const payment = await sandbox.pay(preference.id!, 'approve');
    const [notification] = await receiver.waitFor(1);

    // Assert
    expect(notification!.path).to.equal('/api/payments/webhooks/mercadopago');
    expect(Object.fromEntries(notification!.query)).to.deep.equal({
      source_news: 'webhooks',
      'data.id': String(payment.id),
      type: 'payment',
    });
    expect(notification!.body).to.include({
      action: 'payment.created',
      api_version: 'v1',
      type: 'payment',
      live_mode: false,
      user_id: '1000000001',
    });
    expect(notification!.body.data).to.deep.equal({ id: String(payment.id) });
    expect(notification!.requestId).to.match(/^[0-9a-f-]{36}$/);
    expect(notification!.signature).to.match(/^ts=\d+,v1=[0-9a-f]{64}$/);
    expect(() => validate(notification!)).not.to.throw();
    expect(() => validate(notification!, 'another-secret'))
      .to.throw(InvalidWebhookSignatureError)
      .with.property('reason', 'SignatureMismatch');
    expect(() => validate({ ...notification!, requestId: crypto.randomUUID() })).to.throw(
      InvalidWebhookSignatureError,
    );
    await until(() => sandbox.notifications().length === 1);
    const [attempt] = sandbox.notifications();
    expect(attempt).to.include({ action: 'payment.created', attempt: 1, status: 200, dropped: false });
  });

  it('When the receiver answers 500, then the sandbox tries again, re-signed, until it gets 200', async () => {
    // Arrange
    await receiver.close();
    await start([500, 500]);
    const preference = await createPreference();

    // Act
    await sandbox.pay(preference.id!, 'approve');
    const received = await receiver.waitFor(3);

    // Assert
    expect(received).to.have.length(3);
    expect(new Set(received.map((notification) => notification.requestId)).size).to.equal(1);
    for (const notification of received) expect(() => validate(notification)).not.to.throw();
    await until(() => sandbox.notifications().length === 3);
    const attempts = sandbox.notifications().reverse();
    expect(attempts.map((attempt) => [attempt.attempt, attempt.status])).to.deep.equal([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
  });

  it('When the receiver never answers 200, then the sandbox gives up after the configured retries', async () => {
    // Arrange
    await receiver.close();
    await start([503, 503, 503, 503, 503]);
    const preference = await createPreference();

    // Act
    await sandbox.pay(preference.id!, 'approve');
    await until(() => sandbox.notifications().length === 4);
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Assert
    expect(receiver.received).to.have.length(4);
    expect(sandbox.notifications().map((attempt) => attempt.status)).to.deep.equal([503, 503, 503, 503]);
  });

  it('When the next notification is dropped, then it never arrives and the one after it does', async () => {
    // Arrange
    const first = await createPreference();
    const second = await createPreference({ ...preferenceBody(receiver.url, 'order-2') });
    sandbox.dropNextNotifications(1);

    // Act
    const lost = await sandbox.pay(first.id!, 'approve');
    const delivered = await sandbox.pay(second.id!, 'approve');
    await receiver.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Assert
    expect(receiver.received.map((notification) => notification.body.data.id)).to.deep.equal([
      String(delivered.id),
    ]);
    const dropped = sandbox.notifications().find((attempt) => attempt.paymentId === String(lost.id));
    expect(dropped).to.include({ dropped: true, status: null });
  });

  it('When the next notification is duplicated, then the receiver gets the same notification twice', async () => {
    // Arrange
    const preference = await createPreference();
    sandbox.duplicateNextNotifications(1);

    // Act
    await sandbox.pay(preference.id!, 'approve');
    const received = await receiver.waitFor(2);

    // Assert
    expect(received).to.have.length(2);
    expect(received[1]!.body).to.deep.equal(received[0]!.body);
    expect(received[1]!.requestId).to.equal(received[0]!.requestId);
  });

  it('When a payment is refunded or charged back, then payment.updated is notified and Payment.get shows the new status', async () => {
    // Arrange
    const preference = await createPreference();
    const payment = await sandbox.pay(preference.id!, 'approve');
    await receiver.waitFor(1);

    // Act
    await new PaymentRefund(mercadoPagoClient(sandbox.url)).create({
      payment_id: payment.id,
      body: { amount: 100 },
    });
    await receiver.waitFor(2);
    await sandbox.setPaymentStatus(String(payment.id), 'charged_back');
    const received = await receiver.waitFor(3);

    // Assert
    expect(received.map((notification) => notification.body.action)).to.deep.equal([
      'payment.created',
      'payment.updated',
      'payment.updated',
    ]);
    for (const notification of received) expect(notification.body.data.id).to.equal(String(payment.id));
    const read = await new Payment(mercadoPagoClient(sandbox.url)).get({ id: payment.id });
    expect(read).to.include({ status: 'charged_back', status_detail: 'settled' });
  });
});
