import { expect } from 'chai';
import type { Sequelize, Transaction } from 'sequelize';
import type { CursorPage, Product } from '@escalable/shop-sdk';
import { adminToken, call, givenCategory, givenProduct, productService, unique } from './harness.js';

type Listing = CursorPage<Product>;

const variant = (amount: number) => ({ sku: unique('SKU'), price: { amount, currency: 'ARS' }, stock: 3 });

/** What the variants say: the lowest price among those on sale. */
const lowestActive = (product: Product) =>
  Math.min(...product.variants.filter((v) => v.status === 'active').map((v) => v.price.amount));

/** The listing's order by price as its own variants justify it: ascending "from" prices, ties by id. */
function expectPricedByVariants(listing: Listing): void {
  for (const product of listing.items) {
    expect(product.fromPrice?.amount, `from price of ${product.name}`).to.equal(lowestActive(product));
  }
  const prices = listing.items.map(lowestActive);
  expect(prices, 'listed by lowest variant price').to.deep.equal([...prices].sort((a, b) => a - b));
}

/** Until `done` says so or some session waits on a lock (for a row another transaction holds). */
async function untilDoneOrWaiting(sequelize: Sequelize, done: () => boolean): Promise<void> {
  for (let tries = 0; tries < 100 && !done(); tries += 1) {
    const [rows] = await sequelize.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'");
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('The kept "from" price', () => {
  it('When admins change variant prices concurrently with listings, then order and fromPrice always follow the variants', async () => {
    const { url } = await productService();
    const category = await givenCategory(url);
    const products = await Promise.all(
      Array.from({ length: 4 }, () =>
        givenProduct(url, {
          categoryIds: [category.id],
          variants: [variant(500), variant(600), variant(700)],
        }),
      ),
    );
    const listing = () =>
      call<Listing>(url, 'GET', `/api/products?category=${category.slug}&sort=price&limit=50`);
    let seed = 7;
    const nextPrice = () => (seed = (seed * 48_271) % 2_147_483_647) % 10_000;

    for (let round = 0; round < 20; round += 1) {
      const changes = products.flatMap((product) =>
        product.variants.map((v) =>
          call(url, 'PATCH', `/api/products/${product.id}/variants/${v.id}`, {
            token: adminToken(),
            body: {
              price: { amount: nextPrice(), currency: 'ARS' },
              // Now and then the first variant leaves sale and comes back.
              ...(round % 5 === 4 && v === product.variants[0]
                ? { status: round % 10 === 4 ? 'archived' : 'active' }
                : {}),
            },
          }),
        ),
      );
      const [answers, during] = await Promise.all([Promise.all(changes), listing()]);
      const after = await listing();

      expect(answers.map((answer) => answer.status)).to.satisfy((statuses: number[]) =>
        statuses.every((status) => status === 200),
      );
      expect(during.body.items).to.have.lengthOf(4);
      expectPricedByVariants(during.body);
      expectPricedByVariants(after.body);
    }
  });

  it('When two transactions change two variants of one product at once, then fromPrice reflects both', async () => {
    const { url, db } = await productService();
    const product = await givenProduct(url, { variants: [variant(500), variant(600)] });
    const [cheap, dear] = product.variants;
    const begin = () => db.sequelize.transaction();
    const setPrice = (transaction: Transaction, variantId: string, price: number) =>
      db.sequelize.query('UPDATE variants SET price = $price WHERE id = $variantId', {
        bind: { price, variantId },
        transaction,
      });

    // As a writer that does not lock the product first (a bulk statement) would: the first raises the
    // cheap variant, the second lowers the dear one before the first commits.
    const first = await begin();
    const second = await begin();
    await setPrice(first, cheap!.id, 900);
    let secondWrote = false;
    const secondWrites = setPrice(second, dear!.id, 700).then(() => (secondWrote = true));
    await untilDoneOrWaiting(db.sequelize, () => secondWrote);
    await first.commit();
    await secondWrites;
    await second.commit();
    const read = await call<Product>(url, 'GET', `/api/products/${product.id}`);

    expect(read.body.fromPrice).to.deep.equal({ amount: 700, currency: 'ARS' });
  });

  it('When a variant is added, archived or repriced, then the product page shows the new fromPrice', async () => {
    const { url } = await productService();
    const product = await givenProduct(url, { variants: [variant(800)] });
    const path = `/api/products/${product.id}`;
    const token = adminToken();

    const added = await call<Product>(url, 'POST', `${path}/variants`, { token, body: variant(300) });
    const afterAdd = await call<Product>(url, 'GET', path);
    await call(url, 'PATCH', `${path}/variants/${added.body.id}`, { token, body: { status: 'archived' } });
    const afterArchive = await call<Product>(url, 'GET', path);
    await call(url, 'PATCH', `${path}/variants/${product.variants[0]!.id}`, {
      token,
      body: { price: { amount: 650, currency: 'ARS' } },
    });
    const afterPrice = await call<Product>(url, 'GET', path);

    expect(product.fromPrice).to.deep.equal({ amount: 800, currency: 'ARS' });
    expect(afterAdd.body.fromPrice!.amount).to.equal(300);
    expect(afterArchive.body.fromPrice!.amount).to.equal(800);
    expect(afterPrice.body.fromPrice!.amount).to.equal(650);
  });
});
