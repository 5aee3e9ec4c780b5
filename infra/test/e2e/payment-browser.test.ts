// The one journey a person takes outside the shop's API: paying on MercadoPago's checkout page. It runs
// in Debian's headless Chromium (puppeteer-core drives it; nothing downloads a browser of its own).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import puppeteer, { type Browser } from 'puppeteer-core';
import { type PaymentView } from '@escalable/shop-sdk';
import { PaymentServiceClient } from '@escalable/shop-sdk/internal';
import { signedUpShopper } from './clients.js';
import { gatewayUrl, instanceUrls, stackSecrets } from './stack.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// As root Chromium needs --no-sandbox; the rest keeps it from calling out of this closed machine.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function paymentOnceSettled(read: () => Promise<PaymentView>, timeoutMs: number): Promise<PaymentView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const payment = await read();
    if (payment.status !== 'pending' || Date.now() > deadline) return payment;
    await sleep(200);
  }
}

describe('Paying in a real browser', () => {
  let browser: Browser | undefined;
  let profileDir: string | undefined;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      // CI installs Chromium (.ci/run); a developer without it is told why this journey did not run.
      if (process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
      console.warn(`    (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`);
      this.skip();
    }
    profileDir = await mkdtemp(path.join(os.tmpdir(), 'escalable-chromium-'));
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      userDataDir: profileDir,
    });
  });

  after(async () => {
    await browser?.close();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
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
    const page = await browser!.newPage();

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
