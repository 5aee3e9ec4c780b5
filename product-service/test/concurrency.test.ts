import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  call,
  countRows,
  givenProduct,
  orderServiceToken,
  productService,
  expectStock,
  type Answer,
} from './harness.js';

function reserve(
  url: string,
  orderId: string,
  items: Array<{ variantId: string; quantity: number }>,
): Promise<Answer> {
  return call(url, 'POST', '/internal/reservations', {
    token: orderServiceToken(),
    body: { orderId, items },
  });
}

describe('Reservations under concurrency', () => {
  it('When 200 orders reserve 1 unit each at once against a stock of 10, then exactly 10 succeed and the ledger adds up', async () => {
    const { url, db, internal } = await productService();
    const product = await givenProduct(url, {
      status: 'active',
      variants: [
        { sku: `RACE-${randomUUID().slice(0, 8)}`, price: { amount: 100, currency: 'ARS' }, stock: 10 },
      ],
    });
    const variantId = product.variants[0]!.id;
    const orderIds = Array.from({ length: 200 }, () => `race_${randomUUID()}`);

    const answers = await Promise.all(
      orderIds.map((orderId) => reserve(url, orderId, [{ variantId, quantity: 1 }])),
    );

    const created = answers.filter((answer) => answer.status === 201);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(created).to.have.length(10);
    expect(refused).to.have.length(190);
    for (const answer of refused) {
      expect(answer.body.type).to.equal('https://escalable.shop/problems/out-of-stock');
      expect(answer.body.availability).to.deep.equal([{ variantId, requested: 1, available: 0 }]);
    }
    await expectStock(db, variantId, { onHand: 10, reserved: 10 });
    expect(
      await countRows(
        db,
        "SELECT count(*) FROM stock_movements WHERE variant_id = $variantId AND reason = 'reserve'",
        {
          variantId,
        },
      ),
    ).to.equal(10);
    expect(await countRows(db, "SELECT count(*) FROM reservations WHERE order_id LIKE 'race\\_%'")).to.equal(
      10,
    );
    expect((await internal.lookupVariants([variantId])).items[0]!.available).to.equal(0);
  });

  it('When commits, releases and two-line reservations in both orders race, then no deadlock and stock stays consistent', async () => {
    const { url, db, internal } = await productService();
    const sku = () => `MIX-${randomUUID().slice(0, 8)}`;
    const product = await givenProduct(url, {
      status: 'active',
      variants: [
        { sku: sku(), price: { amount: 100, currency: 'ARS' }, stock: 10 },
        { sku: sku(), price: { amount: 100, currency: 'ARS' }, stock: 10 },
      ],
    });
    const [a, b] = product.variants.map((variant) => variant.id) as [string, string];
    const held = Array.from({ length: 10 }, () => `held_${randomUUID()}`);
    for (const orderId of held)
      await internal.reserve(orderId, [
        { variantId: a, quantity: 1 },
        { variantId: b, quantity: 1 },
      ]);

    const outcomes = await Promise.all([
      ...held.slice(0, 5).map((orderId) => internal.commit(orderId).then(() => 'committed')),
      ...held.slice(5).map((orderId) => internal.release(orderId).then(() => 'released')),
      ...Array.from({ length: 60 }, (_, index) => {
        const items = [
          { variantId: a, quantity: 1 },
          { variantId: b, quantity: 1 },
        ];
        return reserve(url, `mix_${randomUUID()}`, index % 2 === 0 ? items : items.reverse()).then(
          (answer) => answer.status,
        );
      }),
    ]);

    const newlyReserved = outcomes.filter((outcome) => outcome === 201).length;
    expect(
      outcomes.filter((outcome) => outcome !== 201 && outcome !== 409 && typeof outcome === 'number'),
    ).to.deep.equal([]);
    expect(newlyReserved).to.be.at.most(5);
    for (const variantId of [a, b]) await expectStock(db, variantId, { onHand: 5, reserved: newlyReserved });
  });
});
