import { expect } from 'chai';
import type { Cart } from '@escalable/shop-sdk';
import { countRows } from '@escalable/shop-sdk/testing';
import { createLogger } from '@escalable/shop-sdk/server';
import { deleteExpiredGuestCarts, startGuestCartExpiry } from '../src/domain/guest-cart-expiry.js';
import { cartCall, cartService, givenInCart, newCustomer, storedCartId, type Shopper } from './harness.js';

/** Moves a cart's last use back in time, as if nobody had touched it for that many days. */
async function idleFor(shopper: Shopper, days: number): Promise<void> {
  const { db } = await cartService();
  await db.sequelize.query(
    'UPDATE carts SET last_active_at = now() - make_interval(days => $days) WHERE id = $id',
    {
      bind: { days, id: await storedCartId(shopper) },
    },
  );
}

describe('Guest-cart expiry', () => {
  it('When guest carts were unused for 30 days, then one run deletes them with their lines; newer guest carts and customer carts stay', async () => {
    const { url, db, catalog } = await cartService();
    const stale: Shopper = {};
    const fresh: Shopper = {};
    const customer = newCustomer();
    const variant = catalog.addVariant();
    for (const shopper of [stale, fresh, customer]) await givenInCart(url, shopper, variant.variantId, 1);
    const staleId = await storedCartId(stale);
    await idleFor(stale, 31);
    await idleFor(fresh, 29);
    await idleFor(customer, 400);

    const deleted = await deleteExpiredGuestCarts(30);

    expect(deleted).to.equal(1);
    expect((await cartCall(url, stale, 'GET', '/api/cart')).status).to.equal(404);
    expect(await countRows(db, 'cart_lines', { cart_id: staleId })).to.equal(0);
    expect((await cartCall(url, fresh, 'GET', '/api/cart')).status).to.equal(200);
    expect((await cartCall<Cart>(url, customer, 'GET', '/api/cart')).body.itemCount).to.equal(1);
  });

  it('When several instances run it at once, then each expired cart is deleted once and none fails', async () => {
    const { url, catalog } = await cartService();
    const guests: Shopper[] = Array.from({ length: 6 }, () => ({}));
    for (const guest of guests) {
      await givenInCart(url, guest, catalog.addVariant().variantId, 1);
      await idleFor(guest, 45);
    }

    const counts = await Promise.all([
      deleteExpiredGuestCarts(30),
      deleteExpiredGuestCarts(30),
      deleteExpiredGuestCarts(30),
    ]);

    expect(counts.reduce((sum, count) => sum + count, 0)).to.equal(6);
  });

  it('When a guest only looks at the cart, then that counts as use and the cart is not expired', async () => {
    const { url, catalog } = await cartService();
    const guest: Shopper = {};
    await givenInCart(url, guest, catalog.addVariant().variantId, 1);
    await idleFor(guest, 31);

    await cartCall(url, guest, 'GET', '/api/cart');
    await deleteExpiredGuestCarts(30);

    expect((await cartCall(url, guest, 'GET', '/api/cart')).status).to.equal(200);
  });

  it('When a guest cart was merged, then it expires like any guest cart, and the customer keeps the merged lines', async () => {
    const { url, catalog } = await cartService();
    const guest: Shopper = {};
    const customer = newCustomer();
    await givenInCart(url, guest, catalog.addVariant().variantId, 2);
    await cartCall(url, { ...customer, cartToken: guest.cartToken }, 'POST', '/api/cart/merge');
    await idleFor(guest, 31);

    const deleted = await deleteExpiredGuestCarts(30);

    expect(deleted).to.equal(1);
    expect((await cartCall<Cart>(url, customer, 'GET', '/api/cart')).body.itemCount).to.equal(2);
  });

  it('When the expiry job runs on its timer, then an expired guest cart goes without anyone calling it', async () => {
    const { url, catalog } = await cartService();
    const guest: Shopper = {};
    await givenInCart(url, guest, catalog.addVariant().variantId, 1);
    await idleFor(guest, 31);
    const job = startGuestCartExpiry({
      ttlDays: 30,
      intervalMs: 50,
      logger: createLogger('cart-service', 'silent'),
    });
    try {
      let status = 200;
      for (let waited = 0; status === 200 && waited < 3_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await cartCall(url, guest, 'GET', '/api/cart')).status;
      }

      expect(status).to.equal(404);
    } finally {
      await job.stop();
    }
  });
});
