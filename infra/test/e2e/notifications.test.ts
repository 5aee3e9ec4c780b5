// What reaches the customers' inboxes and phones, and that nothing is lost or doubled while
// notification-service is down.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { request } from 'undici';
import type { ShopClient } from '@escalable/shop-sdk';
import {
  emailsTo,
  newEmail,
  newPhone,
  noticesAbout,
  onePerStep,
  orderNotice,
  orderReaching,
  paymentSandbox,
  preferenceOf,
  shippingAddress,
  signedInAdmin,
  textsTo,
  variantWith,
  visitor,
  waitFor,
} from './clients.js';
import { e2eStack, killInstance, withDatabase } from './stack.js';

async function signUp(fields: { name: string; phone?: string }) {
  const email = newEmail();
  const shopper = visitor();
  const { user } = await shopper.auth.register({ email, password: 'correct horse battery', ...fields });
  return { id: user.id, email, phone: fields.phone ?? '', shopper };
}

/** `outbox_pending` as one user-service instance's /metrics shows it (the table is shared). */
async function pendingInUserServiceOutbox(): Promise<number> {
  const instance = e2eStack().instances.find((candidate) => candidate.service.name === 'user-service')!;
  const metrics = await (await request(`${instance.url}/metrics`)).body.text();
  return Number(/^outbox_pending\{[^}]*\} (\d+)$/m.exec(metrics)?.[1]);
}

const notificationInstances = () =>
  e2eStack()
    .instances.filter((instance) => instance.service.name === 'notification-service')
    .map((instance) => instance.name);

/** Runs `meanwhile` with both notification-service instances killed, and starts them again after. */
async function withNotificationServiceDown<T>(meanwhile: () => Promise<T>): Promise<T> {
  const names = notificationInstances();
  await Promise.all(names.map(killInstance));
  try {
    return await meanwhile();
  } finally {
    await Promise.all(names.map((name) => e2eStack().restart(name)));
  }
}

/**
 * order-service's outbox rows to notification-service about these orders that wait to be sent: how
 * many, the most attempts one has made, and in how many seconds the last of them is due again.
 */
async function noticesWaitingInOrderOutbox(orderIds: string[]) {
  return withDatabase('shop_order', async (client) => {
    const { rows } = await client.query<{ pending: number; attempts: number; dueInSeconds: number }>(
      `SELECT count(*)::int AS pending, coalesce(max(attempts), 0)::int AS attempts,
              greatest(coalesce(extract(epoch FROM max(next_attempt_at) - now()), 0), 0)::float8
                AS "dueInSeconds"
       FROM outbox
       WHERE target = 'notification-service' AND status = 'pending'
         AND split_part(idempotency_key, ':', 2) = ANY($1::text[])`,
      [orderIds],
    );
    return rows[0]!;
  });
}

/** When the sandboxes received the last e-mail or SMS about these orders (ms since the epoch). */
function lastNoticeAt(orderIds: string[]): number {
  const { smtp, twilio } = e2eStack().sandboxes;
  const about = (text: string) => orderIds.some((id) => text.includes(id));
  return Math.max(
    ...smtp
      .messages()
      .filter((message) => about(message.subject))
      .map((message) => Date.parse(message.date)),
    ...twilio
      .messages()
      .filter((sms) => about(sms.body))
      .map((sms) => Date.parse(sms.dateCreated)),
  );
}

/** order-service's client to notification-service pauses an instance this long after 5 failures in a row. */
const BREAKER_PAUSE_MS = 10_000;

/**
 * How much longer the last notice may honestly take, read from the outbox (shop-sdk's dispatcher) once
 * every breaker pause begun before notification-service came back is over: the last pending row is due
 * in `dueInSeconds` (a row in flight shows its 60 s lease); a row refused meanwhile by a half-open
 * breaker, while another call probes it, is put back with full jitter below 2^attempts s; then
 * notification-service's own worker and the sandboxes take a few seconds.
 */
const secondsLeftFor = (waiting: { attempts: number; dueInSeconds: number }): number =>
  waiting.dueInSeconds + Math.min(900, 2 ** waiting.attempts) + 10;

interface Buyer {
  email: string;
  phone: string;
  shopper: ShopClient;
}

/** One unit of the product {@link variantWith} makes, in ARS minor units. */
const UNIT_PRICE = 1_250_000;

/** Places an order of the buyer's cart and pays it in the sandbox (`approve` or `reject`). */
async function placeAndPay(buyer: Buyer, outcome: 'approve' | 'reject') {
  const placed = await buyer.shopper.orders.place({ shippingAddress }, `checkout-${randomUUID()}`);
  await paymentSandbox().pay(preferenceOf(placed.checkoutUrl), outcome);
  return orderReaching(buyer.shopper, placed.id, outcome === 'approve' ? 'paid' : 'payment_failed');
}

/**
 * Takes one order of each buyer to an end: paid, shipped and delivered; paid, cancelled and refunded;
 * payment rejected. Answers each order as it ended and the notices its buyer must get.
 */
async function ordersToTheirEnds(
  admin: ShopClient,
  [toDeliver, toCancel, toReject]: Buyer[],
  tracking: string,
) {
  const paidNotices = (orderId: string) => [
    orderNotice.placed(orderId, UNIT_PRICE),
    orderNotice.paid(orderId, UNIT_PRICE),
  ];
  const paid = await placeAndPay(toDeliver!, 'approve');
  await admin.orders.updateStatus(paid.id, { status: 'processing' });
  await admin.orders.updateStatus(paid.id, { status: 'shipped', carrier: 'OCA', trackingNumber: tracking });
  const delivered = await admin.orders.updateStatus(paid.id, { status: 'delivered' });
  const regretted = await placeAndPay(toCancel!, 'approve');
  await toCancel!.shopper.orders.cancel(regretted.id, { reason: 'Me arrepentí' });
  const refunded = await orderReaching(toCancel!.shopper, regretted.id, 'refunded');
  const rejected = await placeAndPay(toReject!, 'reject');
  return [
    {
      buyer: toDeliver!,
      order: delivered,
      notices: [
        ...paidNotices(paid.id),
        orderNotice.shipped(paid.id, 'OCA', tracking),
        orderNotice.delivered(paid.id),
      ],
    },
    {
      buyer: toCancel!,
      order: refunded,
      notices: [
        ...paidNotices(regretted.id),
        orderNotice.cancelled(regretted.id),
        orderNotice.refunded(regretted.id, UNIT_PRICE),
      ],
    },
    {
      buyer: toReject!,
      order: rejected,
      notices: [orderNotice.placed(rejected.id, UNIT_PRICE), orderNotice.rejected(rejected.id)],
    },
  ];
}

describe('Notifications through the gateway', () => {
  it('When a shopper with a phone signs up, then a welcome e-mail reaches the dev inbox and an SMS the Twilio sandbox', async () => {
    const phone = newPhone();

    const shopper = await signUp({ name: 'Ana Bienvenida', phone });
    await waitFor(
      async () => (emailsTo(shopper.email).length > 0 && textsTo(phone).length > 0 ? true : undefined),
      'the welcome e-mail and SMS',
    );

    const [email] = emailsTo(shopper.email);
    expect(email!.subject).to.equal('¡Te damos la bienvenida a Escalable, Ana Bienvenida!');
    expect(email!.html).to.include('Ana Bienvenida');
    expect(textsTo(phone)).to.have.length(1);
    expect(textsTo(phone)[0]).to.include('Ana Bienvenida');
  });

  it('When both notification-service instances are down while 5 shoppers sign up, then after they restart each welcome arrives exactly once', async () => {
    let shoppers: Array<{ email: string }> = [];
    let pendingWhileDown = 0;
    await withNotificationServiceDown(async () => {
      shoppers = await Promise.all([1, 2, 3, 4, 5].map((n) => signUp({ name: `Cliente ${n}` })));
      pendingWhileDown = await pendingInUserServiceOutbox();
    });
    await waitFor(
      async () => (shoppers.every((shopper) => emailsTo(shopper.email).length > 0) ? true : undefined),
      'every welcome e-mail',
      90_000,
    );
    await sleep(3_000);

    expect(pendingWhileDown).to.be.at.least(5);
    expect(shoppers.map((shopper) => emailsTo(shopper.email).length)).to.deep.equal([1, 1, 1, 1, 1]);
  }).timeout(180_000);

  it('When notification-service is down while orders are placed, paid, rejected, shipped, delivered and cancelled, then every order moves, and once it is back each e-mail and SMS arrives exactly once', async function () {
    this.timeout(300_000);
    const started = performance.now();
    const admin = await signedInAdmin();
    const { run, variantId } = await variantWith(admin, 10);
    const buyers = await Promise.all(
      ['Delia Entregada', 'Ernesto Arrepentido', 'Flora Rechazada'].map((name) =>
        signUp({ name, phone: newPhone() }),
      ),
    );
    for (const buyer of buyers) await buyer.shopper.cart.addItem({ variantId, quantity: 1 });

    let orders: Awaited<ReturnType<typeof ordersToTheirEnds>> = [];
    let whileDown = { pending: 0, attempts: 0, dueInSeconds: 0 };
    const down = performance.now();
    let downSeconds = 0;
    await withNotificationServiceDown(async () => {
      orders = await ordersToTheirEnds(admin, buyers, `OCA-${run}`);
      whileDown = await noticesWaitingInOrderOutbox(orders.map(({ order }) => order.id));
      downSeconds = (performance.now() - down) / 1000;
    });
    const back = performance.now();
    const backAt = Date.now();
    const orderIds = orders.map(({ order }) => order.id);
    await sleep(BREAKER_PAUSE_MS + 1_000);
    const afterPause = await noticesWaitingInOrderOutbox(orderIds);
    const boundSeconds = (performance.now() - back) / 1000 + secondsLeftFor(afterPause);
    // Mocha holds the test's whole duration to its timeout: what has run, then the wait below and the
    // look for duplicates after it.
    this.timeout(performance.now() - started + secondsLeftFor(afterPause) * 1000 + 30_000);
    const expected = orders.map((order) => onePerStep(order.notices));
    const arrived = () => orders.map(({ buyer, order }) => noticesAbout(order.id, buyer));
    await waitFor(
      async () =>
        arrived().every(
          (notices, index) =>
            notices.subjects.length >= expected[index]!.subjects.length &&
            notices.texts.length >= expected[index]!.texts.length,
        )
          ? true
          : undefined,
      `every e-mail and SMS within ${boundSeconds.toFixed(0)} s of notification-service's return`,
      secondsLeftFor(afterPause) * 1000,
    );
    const arrivedSeconds = (lastNoticeAt(orderIds) - backAt) / 1000;
    // Time for a duplicate to show up, were one coming: the dispatchers run every second.
    await sleep(5_000);
    console.log(
      `      notification-service down ${downSeconds.toFixed(1)} s with ${whileDown.pending} notices waiting; all arrived ${arrivedSeconds.toFixed(1)} s after it was back (bound ${boundSeconds.toFixed(0)} s: ${afterPause.pending} pending after the breaker pause, at most ${afterPause.attempts} attempts, last due in ${afterPause.dueInSeconds.toFixed(1)} s)`,
    );

    expect(orders.map(({ order }) => order.history.map((step) => step.to))).to.deep.equal([
      ['pending_payment', 'paid', 'processing', 'shipped', 'delivered'],
      ['pending_payment', 'paid', 'cancelled', 'refunded'],
      ['pending_payment', 'payment_failed'],
    ]);
    expect(whileDown.pending).to.equal(10);
    expect(arrived()).to.deep.equal(expected);
  });
});
