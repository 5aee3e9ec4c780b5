import { expect } from 'chai';
import type { StockLedger, Variant } from '@escalable/shop-sdk';
import type { Database } from '@escalable/shop-sdk/server';
import {
  signingKey,
  adminToken,
  call,
  customerToken,
  givenProduct,
  productService,
  expectStock,
} from './harness.js';

/** An admin's stock adjustment: the variant, or the problem that refused it. */
const adjustStock = (url: string, productId: string, variantId: string, body: object) =>
  call<Variant & { type?: string }>(
    url,
    'POST',
    `/api/products/${productId}/variants/${variantId}/stock-adjustments`,
    {
      token: adminToken(),
      body,
    },
  );

/**
 * Stock and its ledger line written together, as 2,147 deliveries of a million units would leave them:
 * sending those requests would take the suite several seconds longer.
 */
async function receivedOutsideTheApi(db: Database, variantId: string, units: number): Promise<void> {
  await db.sequelize.transaction(async (transaction) => {
    const bind = { variantId, units };
    await db.sequelize.query('UPDATE variants SET on_hand = on_hand + $units WHERE id = $variantId', {
      bind,
      transaction,
    });
    await db.sequelize.query(
      `INSERT INTO stock_movements (variant_id, reason, delta_on_hand, delta_reserved, actor)
       VALUES ($variantId, 'adjustment', $units, 0, 'user:test')`,
      { bind, transaction },
    );
  });
}

describe('Stock adjustments and the ledger', () => {
  it('When an admin adjusts stock up and down, then on-hand follows and the ledger names who and why', async () => {
    const { url, db } = await productService();
    const product = await givenProduct(url);
    const variantId = product.variants[0]!.id;
    const path = `/api/products/${product.id}/variants/${variantId}`;
    const token = signingKey.tokenFor({ id: 'a1b2c3', roles: ['admin'] });

    const received = await call<Variant>(url, 'POST', `${path}/stock-adjustments`, {
      token,
      body: { delta: 10, note: 'delivery 42' },
    });
    const damaged = await call<Variant>(url, 'POST', `${path}/stock-adjustments`, {
      token,
      body: { delta: -3 },
    });
    const ledger = await call<StockLedger>(url, 'GET', `${path}/stock-movements`, { token });

    expect([received.status, damaged.status]).to.deep.equal([200, 200]);
    expect(damaged.body).to.include({ onHand: 12, reserved: 0, available: 12 });
    expect(ledger.body).to.include({ onHand: 12, ledgerOnHand: 12, reserved: 0, ledgerReserved: 0 });
    expect(ledger.body.movements.total).to.equal(3);
    expect(
      ledger.body.movements.items.map((line) => [line.reason, line.deltaOnHand, line.actor, line.note]),
    ).to.deep.equal([
      ['adjustment', -3, 'user:a1b2c3', null],
      ['adjustment', 10, 'user:a1b2c3', 'delivery 42'],
      ['initial', 5, ledger.body.movements.items[2]!.actor, null],
    ]);
    await expectStock(db, variantId, { onHand: 12, reserved: 0 });
  });

  it('When an adjustment would take on-hand below zero, then 409 and nothing changes', async () => {
    const { url, db } = await productService();
    const product = await givenProduct(url);
    const variantId = product.variants[0]!.id;

    const answer = await adjustStock(url, product.id, variantId, { delta: -6 });

    expect(answer.status).to.equal(409);
    expect(answer.body.type).to.match(/insufficient-stock$/);
    expect(answer.body).to.include({ onHand: 5, reserved: 0 });
    await expectStock(db, variantId, { onHand: 5, reserved: 0 });
  });

  it('When units are reserved, then on-hand cannot drop below them', async () => {
    const { url, internal } = await productService();
    const product = await givenProduct(url);
    const variantId = product.variants[0]!.id;
    await internal.reserve(`order-${variantId}`, [{ variantId, quantity: 4 }]);

    const tooMuch = await adjustStock(url, product.id, variantId, { delta: -2 });
    const justEnough = await adjustStock(url, product.id, variantId, { delta: -1 });

    expect(tooMuch.status).to.equal(409);
    expect(justEnough.status).to.equal(200);
    expect(justEnough.body).to.include({ onHand: 4, reserved: 4, available: 0 });
  });

  it('When adjustments would take on-hand past 2,147,483,647, then 409 naming the limit; up to it is fine', async () => {
    const { url, db } = await productService();
    const product = await givenProduct(url);
    const variantId = product.variants[0]!.id;
    await receivedOutsideTheApi(db, variantId, 2_147_000_000);

    const past = await adjustStock(url, product.id, variantId, { delta: 1_000_000 });
    const upTo = await adjustStock(url, product.id, variantId, { delta: 483_642 });
    const onePast = await adjustStock(url, product.id, variantId, { delta: 1 });
    const tooBig = await adjustStock(url, product.id, variantId, { delta: 1_000_001 });

    expect([past.status, upTo.status, onePast.status, tooBig.status]).to.deep.equal([409, 200, 409, 400]);
    expect(past.body.type).to.match(/stock-limit$/);
    expect(past.body).to.include({ limit: 2_147_483_647, onHand: 2_147_000_005 });
    expect(upTo.body).to.include({ onHand: 2_147_483_647 });
    await expectStock(db, variantId, { onHand: 2_147_483_647, reserved: 0 });
  });

  for (const [what, body] of [
    ['a non-integer delta', { delta: 1.5 }],
    ['a zero delta', { delta: 0 }],
    ['a delta as a string', { delta: '3' }],
    ['an unknown field', { delta: 1, onHand: 100 }],
  ] as const) {
    it(`When an adjustment has ${what}, then 400 and the stock is unchanged`, async () => {
      const { url, db } = await productService();
      const product = await givenProduct(url);
      const variantId = product.variants[0]!.id;

      const answer = await adjustStock(url, product.id, variantId, body);

      expect(answer.status).to.equal(400);
      await expectStock(db, variantId, { onHand: 5 });
    });
  }

  it('When the variant belongs to another product or does not exist, then 404', async () => {
    const { url } = await productService();
    const [one, other] = [await givenProduct(url), await givenProduct(url)];

    const crossed = await adjustStock(url, one.id, other.variants[0]!.id, { delta: 1 });
    const ledger = await call(
      url,
      'GET',
      `/api/products/${one.id}/variants/${other.variants[0]!.id}/stock-movements`,
      {
        token: adminToken(),
      },
    );

    expect([crossed.status, ledger.status]).to.deep.equal([404, 404]);
  });

  it('When a customer adjusts stock, then 403; without a token 401', async () => {
    const { url } = await productService();
    const product = await givenProduct(url);
    const path = `/api/products/${product.id}/variants/${product.variants[0]!.id}/stock-adjustments`;

    const customer = await call(url, 'POST', path, { token: customerToken(), body: { delta: 100 } });
    const anonymous = await call(url, 'POST', path, { body: { delta: 100 } });

    expect([customer.status, anonymous.status]).to.deep.equal([403, 401]);
  });
});
