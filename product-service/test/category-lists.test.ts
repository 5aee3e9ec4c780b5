import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Category, CursorPage, Product } from '@escalable/shop-sdk';
import { ndjson, postImport, productLine, runPrefix } from './catalog-import-harness.js';
import {
  adminToken,
  call,
  givenCategory,
  givenProduct,
  orderServiceToken,
  productService,
  unique,
  type Answer,
} from './harness.js';

type Listing = CursorPage<Product>;

const ROUNDS = 6;

const byName = (categories: Category[]) => [...categories].sort((a, b) => (a.name < b.name ? -1 : 1));

/** The categories every view of `product` must show: those named by `linkedTo`, as they stand now. */
async function expectCategoriesShown(url: string, product: Product, linkedTo: Category[]) {
  const expected = byName(linkedTo);
  const page = await call<Product>(url, 'GET', `/api/products/${product.id}`);
  expect(page.body.categories, `${product.name} on its page`).to.deep.equal(expected);
  const staffPage = await call<Product>(url, 'GET', `/api/products/${product.id}`, { token: adminToken() });
  expect(staffPage.body.categories, `${product.name} on its page, to staff`).to.deep.equal(expected);
  for (const category of linkedTo) {
    const listing = await call<Listing>(url, 'GET', `/api/products?category=${category.id}&limit=100`);
    const listed = listing.body.items.find((item) => item.id === product.id);
    expect(listed?.categories, `${product.name} listed in ${category.name}`).to.deep.equal(expected);
  }
}

describe('The categories each product shows', () => {
  it('When categories are renamed and moved while products are relinked, imported and their last units reserved and restocked, then every product shows exactly its categories as they now stand', async () => {
    const { url } = await productService();
    const admin = adminToken();
    const shelves: Category[] = [];
    for (const name of ['Remeras', 'Buzos', 'Ofertas']) shelves.push(await givenCategory(url, { name }));
    // Product `index` is linked to other shelves every other round (by slug for the imported ones), so
    // in each round half the products keep their links while their categories change.
    const shelvesOf = (round: number, index: number) =>
      [shelves[(round + index) % 3]!, shelves[(round + index + 1) % 3]!].slice(0, 1 + ((round + index) % 2));
    const relinkedIn = (round: number, index: number) => (round + index) % 2 === 0;
    const linkedIn = (round: number, index: number) =>
      shelvesOf(relinkedIn(round, index) ? round : round - 1, index);
    const products: Product[] = [];
    for (let index = 0; index < 4; index++) {
      products.push(
        await givenProduct(url, {
          categoryIds: shelvesOf(0, index).map((shelf) => shelf.id),
          variants: [{ sku: unique('LST'), price: { amount: 1_000, currency: 'ARS' }, stock: 1 }],
        }),
      );
    }
    const prefix = runPrefix('lists');
    const imported = (round: number) =>
      postImport(
        url,
        ndjson(
          [0, 1].map((index) => ({
            ...productLine(prefix, index),
            categories: linkedIn(round, index + 4).map((shelf) => shelf.slug),
          })),
        ),
      );
    expect((await imported(0)).status).to.equal(200);

    for (let round = 1; round <= ROUNDS; round++) {
      const writes: Array<Promise<Answer>> = [
        ...shelves.map((shelf, index) =>
          call(url, 'PATCH', `/api/categories/${shelf.id}`, {
            token: admin,
            // The last shelf moves under the first and back, which its view shows too.
            body:
              index === 2
                ? { name: unique('Ofertas'), parentId: round % 2 ? shelves[0]!.id : null }
                : { name: unique(shelf.name.split('-')[0]!) },
          }),
        ),
        ...products.flatMap((product, index) =>
          relinkedIn(round, index)
            ? [
                call(url, 'PATCH', `/api/products/${product.id}`, {
                  token: admin,
                  body: { categoryIds: shelvesOf(round, index).map((shelf) => shelf.id) },
                }),
              ]
            : [],
        ),
        imported(round),
        // The last unit reserved and another one stocked: the product leaves and rejoins what is in stock.
        ...products.flatMap((product) => [
          call(url, 'POST', '/internal/reservations', {
            token: orderServiceToken(),
            body: {
              orderId: `ord_${randomUUID()}`,
              items: [{ variantId: product.variants[0]!.id, quantity: 1 }],
            },
          }),
          call(
            url,
            'POST',
            `/api/products/${product.id}/variants/${product.variants[0]!.id}/stock-adjustments`,
            {
              token: admin,
              body: { delta: 1, note: 'restock' },
            },
          ),
        ]),
      ];
      for (const answer of await Promise.all(writes))
        expect(answer.status, JSON.stringify(answer.body)).to.be.oneOf([200, 201]);

      for (const [index, shelf] of shelves.entries()) {
        const { id, name, slug, parentId } = (
          await call<Category>(url, 'GET', `/api/categories/${shelf.slug}`)
        ).body;
        // The category as a product shows it, without the tree around it.
        shelves[index] = { id, name, slug, parentId };
      }
      for (const [index, product] of products.entries())
        await expectCategoriesShown(url, product, linkedIn(round, index));
      for (const index of [0, 1]) {
        const line = await call<Product>(url, 'GET', `/api/products/${productLine(prefix, index).slug}`);
        await expectCategoriesShown(url, line.body, linkedIn(round, index + 4));
      }
    }

    // Unlinked from every category, a product shows none.
    const [first] = products;
    const unlinked = await call(url, 'PATCH', `/api/products/${first!.id}`, {
      token: admin,
      body: { categoryIds: [] },
    });
    expect(unlinked.status).to.equal(200);
    await expectCategoriesShown(url, first!, []);
  });
});
