// The one journey a person takes outside the shop's API: paying on MercadoPago's checkout page. It runs
// in Debian's headless Chromium (puppeteer-core drives it; nothing downloads a browser of its own).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { type PaymentView } from '@escalable/shop-sdk';
import { PaymentServiceClient } from '@escalable/shop-sdk/internal';
import { launchChromium, type Chromium } from './chromium.js';
import { signedUpShopper } from './clients.js';
import { gatewayUrl, instanceUrls, stackSecrets } from './stack.js';

async function paymentOnceSettled(read: () => Promise<PaymentView>, timeoutMs: number): Promise<PaymentView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const payment = await read();
    if (payment.status !== 'pending' || Date.now() > deadline) return payment;
    await sleep(200);
  }
}

describe('Paying in a real browser', () => {
  let chromium: Chromium | undefined;

  before(async function () {
    chromium = await launchChromium(this);
  });

  after(async () => {
    await chromium?.close();
  });

  it('When a shopper approves on the sandbox checkout page, then the browser returns to the shop and the payment reads approved', async () => {
    const shopper = await signedUpShopper('Lucía Compradora');
    const me = await shopper.users.me();
    const { serviceSecret } = await stackSecrets();
    const payments = new PaymentServiceClient({
      baseUrl: instanceUrls('payment-service'),
      caller: 'order-service',
      secret: serviceSecret,
    });
    const orderId = randomUUID();
    const checkout = await payments.createCheckout(
      {
        orderId,
        customerId: me.id,
        amount: { amount: 2_500_00, currency: 'ARS' },
        items: [{ title: 'Mate de calabaza', quantity: 2, unitPrice: { amount: 1_250_00, currency: 'ARS' } }],
        payer: { email: me.email, name: me.name },
        expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
      },
      `checkout:${orderId}`,
    );
    const page = await chromium!.browser.newPage();

    await page.goto(checkout.checkoutUrl, { waitUntil: 'domcontentloaded' });
    const shown = await page.evaluate(() => document.body.innerText);
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'domcontentloaded' }),
      page.click('button[value="approve"]'),
    ]);

    expect(shown).to.include('Mate de calabaza');
    const returnedTo = new URL(page.url());
    expect(returnedTo.origin + returnedTo.pathname).to.equal(`${gatewayUrl()}/orders/${orderId}`);
    expect(returnedTo.searchParams.get('status')).to.equal('approved');
    expect(returnedTo.searchParams.get('external_reference')).to.equal(orderId);
    const payment = await paymentOnceSettled(() => shopper.payments.forOrder(orderId), 20_000);
    expect(payment.status).to.equal('approved');
    expect(payment.amount).to.deep.equal({ amount: 2_500_00, currency: 'ARS' });
    expect(payment.history.map((event) => event.status)).to.include('approved');
  });
});
