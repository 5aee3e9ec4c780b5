import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Transaction } from 'sequelize';
import type { StockLedger } from '@escalable/shop-sdk';
import type { Database } from '@escalable/shop-sdk/server';
import {
  adminToken,
  call,
  countRows,
  givenCategory,
  givenProduct,
  orderServiceToken,
  productService,
  expectStock,
  expectPublicVariantsCurrent,
  unique,
  type Answer,
  type ProductServiceUnderTest,
} from './harness.js';
import { ndjson, postImport, productLine, runPrefix } from './catalog-import-harness.js';

/** Resolves once `count` sessions wait for a lock, or `stop()` says there is no point waiting longer. */
async function untilLockWaits(db: Database, count: number, stop = () => false): Promise<void> {
  for (const deadline = Date.now() + 5_000; Date.now() < deadline && !stop();) {
    const waiting = await countRows(
      db,
      'pg_stat_activity',
      "datname = current_database() AND wait_event_type = 'Lock'",
    );
    if (waiting >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Starts a product write that `holder` (an open transaction) keeps waiting after it has checked its
 * categories, deletes the category in that pause, then lets the write go on: the interleaving that
 * two admins working at once can produce, made certain.
 */
async function writeWhileDeleting(
  { url, db }: ProductServiceUnderTest,
  holder: Transaction,
  categoryId: string,
  write: () => Promise<Answer>,
): Promise<{ written: Answer; deleted: Answer }> {
  const writing = write();
  await untilLockWaits(db, 1);
  let deleteAnswered = false;
  const deleting = call(url, 'DELETE', `/api/categories/${categoryId}`, { token: adminToken() }).finally(
    () => (deleteAnswered = true),
  );
  await untilLockWaits(db, 2, () => deleteAnswered);
  await holder.rollback();
  const [written, deleted] = await Promise.all([writing, deleting]);
  return { written, deleted };
}

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
      await countRows(db, 'stock_movements', "variant_id = $variantId AND reason = 'reserve'", {
        variantId,
      }),
    ).to.equal(10);
    expect(await countRows(db, 'reservations', "order_id LIKE 'race\\_%'")).to.equal(10);
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
    await expectPublicVariantsCurrent(url, product.id);
  });

  it('When imports rewrite two products in either order while other variants of both are reserved, then no deadlock', async () => {
    const { url } = await productService();
    const prefix = runPrefix('lists');
    const lines = [productLine(prefix, 0), productLine(prefix, 1)];
    expect((await postImport(url, ndjson(lines))).status).to.equal(200);
    const sizeS = await Promise.all(
      lines.map(async (line) => {
        const answer = await call<{ variants: Array<{ id: string; sku: string }> }>(
          url,
          'GET',
          `/api/products/${line.slug}`,
        );
        return answer.body.variants.find((variant) => variant.sku === line.variants[0]!.sku)!.id;
      }),
    );
    // Each round one import changes one product's price (one statement) and the other's stock (a
    // later one), leaving size S alone, which reservations of both products hold meanwhile: in half of
    // the rounds the import reaches the two products' lists against their id order.
    const importRound = (round: number) => {
      const [priced, stocked] = round % 2 === 0 ? lines : [...lines].reverse();
      const otherSizes = (line: (typeof lines)[number]) => line.variants.slice(1);
      return postImport(
        url,
        ndjson([
          {
            ...priced!,
            variants: otherSizes(priced!).map((variant, index) =>
              index === 0 ? { ...variant, price: { amount: 1_000_000 + round, currency: 'ARS' } } : variant,
            ),
          },
          {
            ...stocked!,
            variants: otherSizes(stocked!).map((variant, index) =>
              index === 1 ? { ...variant, stock: 20 + round } : variant,
            ),
          },
        ]),
      );
    };

    const answers = await Promise.all(
      Array.from({ length: 16 }, async (_, round) => {
        const reservations = Array.from({ length: 4 }, () =>
          reserve(
            url,
            `lists_${randomUUID()}`,
            sizeS.map((variantId) => ({ variantId, quantity: 1 })),
          ),
        );
        return [await importRound(round), ...(await Promise.all(reservations))];
      }),
    );

    const statuses = answers.flat().map((answer) => answer.status);
    expect(statuses.filter((status) => ![200, 201, 409].includes(status))).to.deep.equal([]);
    for (const line of lines) {
      const product = await call<{ id: string }>(url, 'GET', `/api/products/${line.slug}`);
      await expectPublicVariantsCurrent(url, product.body.id);
    }
  });

  it('When a reservation frees an expired hold while a commit waits on the same variants, then both finish without a deadlock', async () => {
    const { url, db, internal } = await productService();
    const sku = () => `LAPSE-${randomUUID().slice(0, 8)}`;
    const product = await givenProduct(url, {
      variants: [
        { sku: sku(), price: { amount: 100, currency: 'ARS' }, stock: 5 },
        { sku: sku(), price: { amount: 100, currency: 'ARS' }, stock: 5 },
      ],
    });
    const [low, high] = product.variants.map((variant) => variant.id).sort() as [string, string];
    // An expired hold on the higher id only, and an order holding both, about to be committed.
    const lapsed = await internal.reserve(`lapsed_${randomUUID()}`, [{ variantId: high, quantity: 2 }], {
      ttlSeconds: 1,
    });
    const sold = `sold_${randomUUID()}`;
    await internal.reserve(sold, [
      { variantId: low, quantity: 1 },
      { variantId: high, quantity: 1 },
    ]);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(lapsed.expiresAt) - Date.now() + 50));
    const holder = await db.sequelize.transaction();
    await db.sequelize.query('SELECT 1 FROM variants WHERE id = $low FOR UPDATE', {
      bind: { low },
      transaction: holder,
    });

    // The commit queues first on the lower id; the reservation queues behind it, having expired the hold.
    const committing = call(url, 'POST', `/internal/reservations/${sold}/commit`, {
      token: orderServiceToken(),
    });
    await untilLockWaits(db, 1);
    const reserving = reserve(url, `after_${randomUUID()}`, [
      { variantId: low, quantity: 1 },
      { variantId: high, quantity: 1 },
    ]);
    await untilLockWaits(db, 2);
    await holder.rollback();
    const [committed, reserved] = await Promise.all([committing, reserving]);

    expect([committed.status, reserved.status]).to.deep.equal([200, 201]);
    await expectStock(db, low, { onHand: 4, reserved: 1 });
    await expectStock(db, high, { onHand: 4, reserved: 1 });
  });

  it('When reservations come and go while an admin reads the ledger, then every read adds up', async () => {
    const { url, internal } = await productService();
    const product = await givenProduct(url, {
      variants: [
        { sku: `LEDGER-${randomUUID().slice(0, 8)}`, price: { amount: 100, currency: 'ARS' }, stock: 100 },
      ],
    });
    const variantId = product.variants[0]!.id;
    const path = `/api/products/${product.id}/variants/${variantId}/stock-movements?limit=5`;
    const token = adminToken();
    let churning = true;
    const churn = Promise.all(
      Array.from({ length: 2 }, async () => {
        while (churning) {
          const orderId = `churn_${randomUUID()}`;
          await internal.reserve(orderId, [{ variantId, quantity: 1 }]);
          await internal.release(orderId);
        }
      }),
    );

    const reads: StockLedger[] = [];
    try {
      for (let poll = 0; poll < 25; poll++) {
        const batch = await Promise.all(
          Array.from({ length: 2 }, () => call<StockLedger>(url, 'GET', path, { token })),
        );
        expect(batch.map((answer) => answer.status)).to.deep.equal([200, 200]);
        reads.push(...batch.map((answer) => answer.body));
      }
    } finally {
      churning = false;
      await churn;
    }

    const inconsistent = reads.filter(
      (read) => read.reserved !== read.ledgerReserved || read.onHand !== read.ledgerOnHand,
    );
    expect(reads.filter((read) => read.reserved > 0).length, 'reads while units were held').to.be.above(0);
    expect(inconsistent.map(({ reserved, ledgerReserved }) => ({ reserved, ledgerReserved }))).to.deep.equal(
      [],
    );
  });
});

describe('Catalog writes under concurrency', () => {
  it('When a product is created in a category being deleted, then the creation wins (201) and the deletion is refused (409)', async () => {
    const service = await productService();
    const { url, db } = service;
    const category = await givenCategory(url);
    const slug = unique('slow');
    // Another transaction inserting the same slug holds the creation after it has checked the category.
    const holder = await db.sequelize.transaction();
    await db.sequelize.query(
      "INSERT INTO products (id, name, slug, currency) VALUES ($id, 'Holder', $slug, 'ARS')",
      { bind: { id: randomUUID(), slug }, transaction: holder },
    );

    const { written, deleted } = await writeWhileDeleting(service, holder, category.id, () =>
      call(url, 'POST', '/api/products', {
        token: adminToken(),
        body: {
          name: 'Slow',
          slug,
          categoryIds: [category.id],
          variants: [{ sku: unique('SKU'), price: { amount: 100, currency: 'ARS' } }],
        },
      }),
    );

    expect([written.status, deleted.status]).to.deep.equal([201, 409]);
    expect(deleted.body.type).to.match(/category-not-empty$/);
    expect(await countRows(db, 'product_categories', { category_id: category.id })).to.equal(1);
  });

  it('When a product moves into a category being deleted, then the move wins (200) and the deletion is refused (409)', async () => {
    const service = await productService();
    const { url, db } = service;
    const [from, to] = [await givenCategory(url), await givenCategory(url)];
    const product = await givenProduct(url, { categoryIds: [from.id] });
    // Another transaction locking the product's category links holds the move after it has checked the
    // category.
    const holder = await db.sequelize.transaction();
    await db.sequelize.query('SELECT 1 FROM product_categories WHERE product_id = $id FOR UPDATE', {
      bind: { id: product.id },
      transaction: holder,
    });

    const { written, deleted } = await writeWhileDeleting(service, holder, to.id, () =>
      call(url, 'PATCH', `/api/products/${product.id}`, {
        token: adminToken(),
        body: { categoryIds: [to.id] },
      }),
    );

    expect([written.status, deleted.status]).to.deep.equal([200, 409]);
    expect(await countRows(db, 'categories', { id: to.id })).to.equal(1);
  });

  it('When an import links a product to a category being deleted, then the import wins (200) and the deletion is refused (409)', async () => {
    const service = await productService();
    const { url, db } = service;
    const category = await givenCategory(url);
    const line = productLine(runPrefix('imp-del'), 0);
    expect((await postImport(url, ndjson([line]))).status).to.equal(200);
    // Another transaction locking the product holds the import after it has locked its categories.
    const holder = await db.sequelize.transaction();
    await db.sequelize.query('SELECT 1 FROM products WHERE slug = $slug FOR UPDATE', {
      bind: { slug: line.slug },
      transaction: holder,
    });

    const { written, deleted } = await writeWhileDeleting(service, holder, category.id, () =>
      postImport(url, ndjson([{ ...line, categories: [category.slug] }])),
    );

    expect([written.status, deleted.status]).to.deep.equal([200, 409]);
    expect(await countRows(db, 'product_categories', { category_id: category.id })).to.equal(1);
  });
});
