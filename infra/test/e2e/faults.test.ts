// The shop under faults, through the gateway: instances killed under read and checkout load, a service's
// database closed and reopened, payment-service gone during a checkout. Each test prints its figures.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { request } from 'undici';
import { Problem, type ShopClient } from '@escalable/shop-sdk';
import {
  failureOf,
  shippingAddress,
  signedInAdmin,
  signedUpShopper,
  stockOf,
  tokenShopper,
  variantWith,
  waitFor,
} from './clients.js';
import {
  collectedLogs,
  e2eStack,
  gatewayUrl,
  killInstance,
  ORDER_PAYMENT_TTL_SECONDS,
  withDatabase,
} from './stack.js';

const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** Runs `work` in `workers` loops until `during` settles; answers how many ran and how many failed. */
async function underLoad(
  work: () => Promise<boolean>,
  during: () => Promise<void>,
  workers = 4,
): Promise<{ sent: number; failed: number }> {
  let done = false;
  const tally = { sent: 0, failed: 0 };
  const loops = Array.from({ length: workers }, async () => {
    while (!done) {
      tally.sent++;
      if (!(await work().catch(() => false))) tally.failed++;
    }
  });
  try {
    await during();
  } finally {
    done = true;
    await Promise.all(loops);
  }
  return tally;
}

async function okThroughGateway(path: string, shopper?: ShopClient): Promise<boolean> {
  // An anonymous read goes past the gateway's micro-cache: these reads measure the instances behind it.
  const headers = shopper
    ? { authorization: `Bearer ${shopper.tokens!.accessToken}` }
    : { 'cache-control': 'no-cache' };
  const res = await request(`${gatewayUrl()}${path}`, { headers, headersTimeout: 30_000 });
  await res.body.dump();
  return res.statusCode === 200;
}

/** Kills the instance, lets the load meet its absence, starts it again: answers the seconds it took to be ready. */
async function outageOf(name: string): Promise<number> {
  await sleep(500);
  await killInstance(name);
  await sleep(1_000);
  const restarting = performance.now();
  await restart(name);
  await sleep(500);
  return (performance.now() - restarting) / 1000;
}

/** Starts the instance again; if it cannot, says why in its own last lines. */
async function restart(name: string): Promise<void> {
  await e2eStack()
    .restart(name)
    .catch((error: unknown) => {
      const own = collectedLogs().filter((line) => line.startsWith(`${name} |`));
      throw new Error(`${String(error)}\n${own.slice(-15).join('\n')}`);
    });
}

async function readyStatus(url: string): Promise<number> {
  const res = await request(`${url}/readyz`, { headersTimeout: 5_000 }).catch(() => undefined);
  await res?.body.dump();
  return res?.statusCode ?? 0;
}

function everyInstanceReadyzSays(instances: Array<{ url: string }>, status: number, what: string) {
  return waitFor(async () => {
    const statuses = await Promise.all(instances.map((instance) => readyStatus(instance.url)));
    return statuses.every((each) => each === status) ? true : undefined;
  }, what);
}

/** A checkout as an app does it: the same key again after a lost answer or a 5xx, until it is answered. */
async function onlyOrderOf(buyer: ShopClient): Promise<{ id?: string; problem?: string }> {
  const { items } = await buyer.orders.list();
  return items.length === 1 ? { id: items[0]!.id } : { problem: `${items.length} orders in the history` };
}

async function checkoutUntilAnswered(shopper: ShopClient): Promise<{ id?: string; problem?: string }> {
  const key = `checkout-${randomUUID()}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return { id: (await shopper.orders.place({ shippingAddress }, key)).id };
    } catch (error) {
      const retry =
        !(error instanceof Problem) || error.status >= 500 || error.slug === 'checkout-in-progress';
      if (!retry || Date.now() > deadline)
        return { problem: error instanceof Problem ? `${error.status} ${error.slug}` : String(error) };
      await sleep(500);
    }
  }
}

describe('Faults through the gateway', () => {
  let admin: ShopClient;

  before(async () => {
    admin = await signedInAdmin();
  });

  it('When one instance of each service is killed and started again in turn under read load, then no read fails', async function () {
    this.timeout(300_000);
    const shopper = await signedUpShopper('Flor Lectora');
    const { variantId } = await variantWith(admin, 5);
    await shopper.cart.addItem({ variantId, quantity: 1 });
    const order = await shopper.orders.place({ shippingAddress }, `checkout-${randomUUID()}`);
    const reads: Record<string, () => Promise<boolean>> = {
      'user-service': () => okThroughGateway('/api/users/me', shopper),
      'product-service': () => okThroughGateway('/api/products?limit=5'),
      'cart-service': () => okThroughGateway('/api/cart', shopper),
      'order-service': () => okThroughGateway(`/api/orders/${order.id}`, shopper),
      'payment-service': () => okThroughGateway(`/api/payments/orders/${order.id}`, shopper),
      'notification-service': () => okThroughGateway('/api/notifications', shopper),
    };
    const figures: Record<string, { sent: number; failed: number; restartSeconds: string }> = {};

    for (const [service, read] of Object.entries(reads)) {
      let restart = 0;
      const tally = await underLoad(read, async () => {
        restart = await outageOf(`${service}#1`);
      });
      figures[service] = { ...tally, restartSeconds: restart.toFixed(1) };
    }
    console.log(`      reads while one instance was down: ${JSON.stringify(figures)}`);

    for (const [service, figure] of Object.entries(figures)) {
      expect(figure.sent, `${service}: reads sent`).to.be.greaterThan(20);
      expect(figure.failed, `${service}: reads failed`).to.equal(0);
    }
  });

  it('When order-service#1 and then product-service#1 are killed during 40 checkouts, then every acknowledged order is stored once and no buyer has two', async function () {
    this.timeout(300_000);
    const { variantId } = await variantWith(admin, 1_000);
    const buyers = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const buyer = await tokenShopper();
        await buyer.cart.addItem({ variantId, quantity: 1 });
        return buyer;
      }),
    );

    const queue = [...buyers];
    const outcomes = new Map<ShopClient, { id?: string; problem?: string }>();
    const checkouts = Array.from({ length: 4 }, async () => {
      for (let buyer = queue.shift(); buyer; buyer = queue.shift()) {
        outcomes.set(buyer, await checkoutUntilAnswered(buyer));
      }
    });
    const started = performance.now();
    const outages = (async () => {
      await outageOf('order-service#1');
      await outageOf('product-service#1');
    })();
    await Promise.all([...checkouts, outages]);
    const elapsed = performance.now() - started;
    // A checkout in flight on the killed instance keeps its key held (order-service README): the buyer
    // clicks again, which is a new key.
    const refused = [...outcomes.values()].flatMap((outcome) => (outcome.problem ? [outcome.problem] : []));
    for (const [buyer, outcome] of outcomes) {
      if (!outcome.problem) continue;
      const again = await checkoutUntilAnswered(buyer);
      // The first try may have finished after the gateway gave up on it: the cart is then ordered (or
      // already replaced by a new, empty one), and the buyer finds that order in their history.
      const firstWentThrough = ['409 cart-already-ordered', '409 cart-empty'].includes(again.problem ?? '');
      outcomes.set(buyer, firstWentThrough ? await onlyOrderOf(buyer) : again);
    }
    const customerIds = buyers.map((buyer) => JSON.parse(atob(buyer.tokens!.accessToken.split('.')[1]!)).sub);
    const stored = await withDatabase('shop_order', async (client) => {
      const { rows } = await client.query<{ id: string; customer_id: string }>(
        'SELECT id, customer_id FROM orders WHERE customer_id = ANY($1::uuid[])',
        [customerIds],
      );
      return rows;
    });
    const acknowledged = [...outcomes.values()].flatMap((outcome) => (outcome.id ? [outcome.id] : []));
    const refusedAgain = [...outcomes.values()].flatMap((outcome) =>
      outcome.problem ? [outcome.problem] : [],
    );
    console.log(
      `      checkouts with instances killed: ${acknowledged.length} acknowledged, ${stored.length} stored, refused with their first key ${JSON.stringify(refused)}, ${seconds(elapsed)} s`,
    );

    expect(refusedAgain).to.deep.equal([]);
    expect(acknowledged).to.have.length(40);
    expect(stored.map((row) => row.id).sort()).to.deep.equal([...acknowledged].sort());
    expect(new Set(stored.map((row) => row.customer_id)).size).to.equal(40);
  });

  it('When product-service’s database stops taking connections under load and comes back, then its /readyz says 503 and 200 again and every acknowledged write is kept', async function () {
    this.timeout(180_000);
    const instances = e2eStack().instances.filter((instance) => instance.service.name === 'product-service');
    const created: string[] = [];
    let writes = 0;
    const figures = { readyzDownSeconds: '', recoverSeconds: '', writesDuringOutage: 0, failedWrites: 0 };

    const reads = await underLoad(
      async () => {
        writes++;
        const product = await admin.products
          .create({
            name: `Fault ${randomUUID().slice(0, 8)}`,
            status: 'active',
            variants: [
              {
                sku: `F-${randomUUID().slice(0, 12)}`,
                options: {},
                price: { amount: 1_000, currency: 'ARS' },
                stock: 1,
              },
            ],
          })
          .catch(() => undefined);
        if (product) created.push(product.id);
        else figures.failedWrites++;
        return okThroughGateway('/api/products?limit=5');
      },
      async () => {
        await sleep(1_000);
        await withDatabase('postgres', async (client) => {
          const closed = performance.now();
          await client.query('ALTER DATABASE shop_product WITH ALLOW_CONNECTIONS false');
          try {
            await client.query(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'shop_product'",
            );
            await everyInstanceReadyzSays(instances, 503, 'product-service to say it is not ready');
            figures.readyzDownSeconds = seconds(performance.now() - closed);
            const before = writes;
            await sleep(2_000);
            figures.writesDuringOutage = writes - before;
          } finally {
            await client.query('ALTER DATABASE shop_product WITH ALLOW_CONNECTIONS true');
          }
          const reopened = performance.now();
          await everyInstanceReadyzSays(instances, 200, 'product-service to be ready again');
          figures.recoverSeconds = seconds(performance.now() - reopened);
        });
        const recovered = created.length;
        await waitFor(
          async () => (created.length > recovered + 2 ? true : undefined),
          'writes to succeed again',
        );
      },
      2,
    );
    const missing = (
      await Promise.all(
        created.map((id) =>
          admin.products.get(id).then(
            () => '',
            () => id,
          ),
        ),
      )
    ).filter(Boolean);
    console.log(
      `      database outage: ${JSON.stringify({ ...figures, reads, acknowledgedWrites: created.length, missing: missing.length })}`,
    );

    expect(figures.readyzDownSeconds).to.not.equal('');
    expect(figures.recoverSeconds).to.not.equal('');
    expect(created.length).to.be.greaterThan(5);
    expect(missing).to.deep.equal([]);
  });

  it('When payment-service is down during a checkout, then the buyer gets a clear 503, the stock is not held and the same checkout works once it is back', async function () {
    this.timeout((ORDER_PAYMENT_TTL_SECONDS + 90) * 1000);
    const { productId, variantId } = await variantWith(admin, 3);
    const shopper = await tokenShopper();
    await shopper.cart.addItem({ variantId, quantity: 2 });
    const names = e2eStack()
      .instances.filter((instance) => instance.service.name === 'payment-service')
      .map((instance) => instance.name);
    const key = `checkout-${randomUUID()}`;

    await Promise.all(names.map(killInstance));
    let failure: Problem;
    try {
      failure = await failureOf(shopper.orders.place({ shippingAddress }, key));
    } finally {
      await Promise.all(names.map(restart));
    }
    const stockAfter = await waitFor(
      async () => {
        const stock = await stockOf(admin, productId, variantId);
        return stock.reserved === 0 ? stock : undefined;
      },
      'the stock to be released',
      (ORDER_PAYMENT_TTL_SECONDS + 10) * 1000,
    );
    const cartAfter = await shopper.cart.get();
    const back = performance.now();
    const placed = await waitFor(
      () =>
        shopper.orders.place({ shippingAddress }, key).catch((error: unknown) => {
          if (error instanceof Problem && error.status === 503) return undefined;
          throw error;
        }),
      'a checkout to work again',
    );
    console.log(`      payment-service back: a checkout worked after ${seconds(performance.now() - back)} s`);

    expect(failure.status, failure.detail).to.equal(503);
    expect(failure.slug).to.equal('upstream-unavailable');
    expect(stockAfter).to.deep.equal({ onHand: 3, reserved: 0 });
    expect(cartAfter.lines.map((line) => line.quantity)).to.deep.equal([2]);
    expect(placed.status).to.equal('pending_payment');
  });
});
