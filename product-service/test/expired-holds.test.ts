import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Page, Product, Reservation, Variant, VariantLookup } from '@escalable/shop-sdk';
import type { Database } from '@escalable/shop-sdk/server';
import { releaseExpiredReservations } from '../src/domain/reservation-expiry.js';
import {
  adminToken,
  call,
  countRows,
  givenProduct,
  orderServiceToken,
  productService,
  expectStock,
  expectPublicVariantsCurrent,
} from './harness.js';

// No sweeper runs in these tests (the harness builds the app without one), so whatever frees the units
// of an expired reservation here is the service answering, not the sweep.

const newOrderId = () => `ord_${randomUUID()}`;

const reserve = (
  url: string,
  orderId: string,
  items: Array<{ variantId: string; quantity: number }>,
  ttlSeconds?: number,
) =>
  call<Reservation>(url, 'POST', '/internal/reservations', {
    token: orderServiceToken(),
    body: { orderId, items, ...(ttlSeconds ? { ttlSeconds } : {}) },
  });

/** Reserves all `quantity` units for one second under a new order, and waits until that second is over. */
async function givenExpiredHold(
  url: string,
  items: Array<{ variantId: string; quantity: number }>,
): Promise<string> {
  const orderId = newOrderId();
  const held = await reserve(url, orderId, items, 1);
  expect(held.status).to.equal(201);
  await new Promise((resolve) => setTimeout(resolve, Date.parse(held.body.expiresAt) - Date.now() + 50));
  return orderId;
}

/** An order's ledger lines, oldest first: reason, variant, change to reserved, actor. */
async function ledgerOfOrder(
  db: Database,
  orderId: string,
): Promise<Array<[string, string, number, string]>> {
  const [rows] = await db.sequelize.query(
    'SELECT reason, variant_id, delta_reserved, actor FROM stock_movements WHERE order_id = $orderId ORDER BY id',
    { bind: { orderId } },
  );
  return (rows as Array<{ reason: string; variant_id: string; delta_reserved: number; actor: string }>).map(
    (row) => [row.reason, row.variant_id, row.delta_reserved, row.actor],
  );
}

describe('Expired reservations free their units at once', () => {
  it('When every unit was held by a reservation that has expired, then a new reservation of them succeeds before any sweep', async () => {
    const { url, db } = await productService();
    const product = await givenProduct(url);
    const variantId = product.variants[0]!.id;
    const expired = await givenExpiredHold(url, [{ variantId, quantity: 5 }]);
    await expectStock(db, variantId, { reserved: 5 }); // still held: no sweep gave the units back

    const again = await reserve(url, newOrderId(), [{ variantId, quantity: 5 }]);

    expect(again.status, JSON.stringify(again.body)).to.equal(201);
    await expectStock(db, variantId, { onHand: 5, reserved: 5 });
    expect(await ledgerOfOrder(db, expired)).to.deep.equal([
      ['reserve', variantId, 5, 'service:order-service'],
      ['expire', variantId, -5, 'system:expiry'],
    ]);
    const commitLate = await call(url, 'POST', `/internal/reservations/${expired}/commit`, {
      token: orderServiceToken(),
    });
    expect([commitLate.status, commitLate.body.type]).to.deep.equal([
      409,
      'https://escalable.shop/problems/reservation-expired',
    ]);
    await expectStock(db, variantId, { onHand: 5, reserved: 5 });
  });

  it('When a reservation has expired, then the product, the listing and the variant look-up show its units available before any sweep', async () => {
    const { url, db } = await productService();
    const product = await givenProduct(url);
    const variantId = product.variants[0]!.id;
    await givenExpiredHold(url, [{ variantId, quantity: 5 }]);

    const detail = await call<Product>(url, 'GET', `/api/products/${product.slug}`);
    const staff = await call<Product>(url, 'GET', `/api/products/${product.id}`, { token: adminToken() });
    const listing = await call<Page<Product>>(
      url,
      'GET',
      `/api/products?q=${encodeURIComponent(product.name)}&inStock=true`,
    );
    const lookup = await call<VariantLookup>(url, 'GET', `/internal/variants?ids=${variantId}`, {
      token: orderServiceToken(),
    });

    expect(detail.body.variants[0]!.available).to.equal(5);
    expect(staff.body.variants[0]).to.include({ available: 5, onHand: 5 });
    expect(listing.body.items.map((item) => item.id)).to.deep.equal([product.id]);
    expect(listing.body.items[0]!.variants[0]!.available).to.equal(5);
    expect(lookup.body.items[0]!.available).to.equal(5);
    // Nothing was written by reading: the units are still in `reserved` until a sweep or a reservation.
    await expectStock(db, variantId, { onHand: 5, reserved: 5 });
  });

  it('When the sweep catches up with an expired reservation already counted as free, then the ledger adds up and nothing is given back twice', async () => {
    const { url, db } = await productService();
    const product = await givenProduct(url);
    const variantId = product.variants[0]!.id;
    const expired = await givenExpiredHold(url, [{ variantId, quantity: 3 }]);
    const again = await reserve(url, newOrderId(), [{ variantId, quantity: 4 }]);

    await releaseExpiredReservations();
    const detail = await call<Product>(url, 'GET', `/api/products/${product.id}`);

    expect(again.status).to.equal(201);
    expect(detail.body.variants[0]!.available).to.equal(1);
    await expectStock(db, variantId, { onHand: 5, reserved: 4 });
    expect((await ledgerOfOrder(db, expired)).map(([reason]) => reason)).to.deep.equal(['reserve', 'expire']);
  });

  it('When an expired reservation held several variants, then reserving one of them gives all its lines back', async () => {
    const { url, db } = await productService();
    const [first, second] = [await givenProduct(url), await givenProduct(url)];
    const [a, b] = [first.variants[0]!.id, second.variants[0]!.id];
    const expired = await givenExpiredHold(url, [
      { variantId: a, quantity: 5 },
      { variantId: b, quantity: 2 },
    ]);

    const again = await reserve(url, newOrderId(), [{ variantId: a, quantity: 1 }]);

    expect(again.status).to.equal(201);
    await expectStock(db, a, { onHand: 5, reserved: 1 });
    await expectStock(db, b, { onHand: 5, reserved: 0 });
    expect((await ledgerOfOrder(db, expired)).filter(([reason]) => reason === 'expire')).to.have.length(2);
  });

  it('When twenty reservations race for units an expired reservation held, then exactly the stock is sold and the hold is given back once', async () => {
    const { url, db } = await productService();
    const product = await givenProduct(url);
    const variantId = product.variants[0]!.id;
    const expired = await givenExpiredHold(url, [{ variantId, quantity: 5 }]);

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => reserve(url, newOrderId(), [{ variantId, quantity: 1 }])),
    );

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).to.have.length(5);
    expect(statuses.filter((status) => status === 409)).to.have.length(15);
    await expectStock(db, variantId, { onHand: 5, reserved: 5 });
    expect(
      await countRows(db, 'stock_movements', "order_id = $expired AND reason = 'expire'", {
        expired,
      }),
    ).to.equal(1);
  });

  it('When reservations, adjustments and the sweep race over expired holds spanning variants, then none fails and the ledger adds up', async () => {
    const { url, db } = await productService();
    const products = [await givenProduct(url), await givenProduct(url), await givenProduct(url)];
    const [a, b, c] = products.map((product) => product.variants[0]!.id) as [string, string, string];
    const expired = await Promise.all([
      givenExpiredHold(url, [
        { variantId: a, quantity: 2 },
        { variantId: c, quantity: 2 },
      ]),
      givenExpiredHold(url, [
        { variantId: b, quantity: 2 },
        { variantId: c, quantity: 1 },
      ]),
      givenExpiredHold(url, [
        { variantId: a, quantity: 1 },
        { variantId: b, quantity: 1 },
      ]),
    ]);
    const lines = [[a, b], [b, c], [c, a], [c], [a, b, c]];

    const answers = await Promise.all([
      ...Array.from({ length: 20 }, (_, index) =>
        reserve(
          url,
          newOrderId(),
          lines[index % lines.length]!.map((variantId) => ({ variantId, quantity: 1 })),
        ),
      ),
      ...products.map((product) =>
        call(
          url,
          'POST',
          `/api/products/${product.id}/variants/${product.variants[0]!.id}/stock-adjustments`,
          {
            token: adminToken(),
            body: { delta: 1 },
          },
        ),
      ),
      releaseExpiredReservations().then(() => ({ status: 200 })),
    ]);

    expect(
      answers.map((answer) => answer.status).filter((status) => ![200, 201, 409].includes(status)),
    ).to.deep.equal([]);
    for (const variantId of [a, b, c]) await expectStock(db, variantId, {});
    for (const product of products) await expectPublicVariantsCurrent(url, product.id);
    for (const orderId of expired) {
      expect((await ledgerOfOrder(db, orderId)).filter(([reason]) => reason === 'expire')).to.have.length(2);
    }
  });

  it('When every unit was held by a reservation that has expired, then an admin can take them off hand before any sweep', async () => {
    const { url, db } = await productService();
    const product = await givenProduct(url);
    const variantId = product.variants[0]!.id;
    await givenExpiredHold(url, [{ variantId, quantity: 5 }]);

    const adjusted = await call<Variant>(
      url,
      'POST',
      `/api/products/${product.id}/variants/${variantId}/stock-adjustments`,
      { token: adminToken(), body: { delta: -5, note: 'stocktake' } },
    );

    expect(adjusted.status, JSON.stringify(adjusted.body)).to.equal(200);
    expect(adjusted.body).to.include({ onHand: 0, reserved: 0, available: 0 });
    await expectStock(db, variantId, { onHand: 0, reserved: 0 });
  });
});
