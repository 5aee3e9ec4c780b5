import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { CursorPage, Product } from '@escalable/shop-sdk';
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

const variant = (stock: number) => ({ sku: unique('STK'), price: { amount: 1_000, currency: 'ARS' }, stock });

/** What the variants say: some variant on sale has a unit nobody holds. */
const sellable = (product: Product) => product.variants.some((v) => v.status === 'active' && v.available > 0);

const reserve = (url: string, orderId: string, variantId: string): Promise<Answer> =>
  call(url, 'POST', '/internal/reservations', {
    token: orderServiceToken(),
    body: { orderId, items: [{ variantId, quantity: 1 }] },
  });

const adjust = (url: string, product: Product, variantId: string, delta: number): Promise<Answer> =>
  call(url, 'POST', `/api/products/${product.id}/variants/${variantId}/stock-adjustments`, {
    token: adminToken(),
    body: { delta, note: 'recount' },
  });

const setVariant = (url: string, product: Product, variantId: string, body: object): Promise<Answer> =>
  call(url, 'PATCH', `/api/products/${product.id}/variants/${variantId}`, { token: adminToken(), body });

/**
 * The in-stock listings, with the category and without (the newest first, where these products are),
 * list exactly those of `products` whose variants say they can be sold, and a listing read in one
 * answer never shows a product none of whose variants can be sold.
 */
async function expectInStockAsVariantsSay(url: string, category: string, products: Product[]) {
  const pages = await Promise.all(
    products.map((product) => call<Product>(url, 'GET', `/api/products/${product.id}`)),
  );
  const expected = pages.filter((page) => sellable(page.body)).map((page) => page.body.id);
  const ours = new Set(products.map((product) => product.id));
  for (const path of [
    `/api/products?category=${category}&inStock=true&limit=100`,
    '/api/products?inStock=true&sort=newest&limit=100',
  ]) {
    const listing = await call<Listing>(url, 'GET', path);
    expect(listing.status, path).to.equal(200);
    for (const item of listing.body.items)
      expect(sellable(item), `${item.name} listed in stock`).to.equal(true);
    const listed = listing.body.items.filter((item) => ours.has(item.id)).map((item) => item.id);
    expect(listed.sort(), path).to.deep.equal([...expected].sort());
    if (path.includes('category')) expect(listing.body.total, 'the category total').to.equal(expected.length);
  }
}

describe('The kept in-stock flag', () => {
  it('When the last units are reserved, released, adjusted or archived, then in-stock listings drop the product and take it back at once', async () => {
    const { url, internal } = await productService();
    const category = await givenCategory(url);
    const twoLeft = await givenProduct(url, {
      categoryIds: [category.id],
      variants: [variant(1), variant(1)],
    });
    const none = await givenProduct(url, { categoryIds: [category.id], variants: [variant(0)] });
    const plenty = await givenProduct(url, {
      categoryIds: [category.id],
      variants: [variant(50), variant(0)],
    });
    const products = [twoLeft, none, plenty];
    const [first, second] = twoLeft.variants;
    const expectListings = () => expectInStockAsVariantsSay(url, category.slug, products);

    await expectListings();
    const firstOrder = `order_${randomUUID()}`;
    await internal.reserve(firstOrder, [{ variantId: first!.id, quantity: 1 }]);
    await expectListings();
    await internal.reserve(`order_${randomUUID()}`, [{ variantId: second!.id, quantity: 1 }]);
    const sold = await call<Listing>(url, 'GET', `/api/products?category=${category.slug}&inStock=true`);
    await expectListings();
    await internal.release(firstOrder);
    const back = await call<Listing>(url, 'GET', `/api/products?category=${category.slug}&inStock=true`);
    await expectListings();
    expect((await adjust(url, none, none.variants[0]!.id, 2)).status).to.equal(200);
    await expectListings();
    expect((await setVariant(url, plenty, plenty.variants[0]!.id, { status: 'archived' })).status).to.equal(
      200,
    );
    await expectListings();
    expect((await adjust(url, none, none.variants[0]!.id, -2)).status).to.equal(200);
    await expectListings();
    const last = await call<Listing>(url, 'GET', `/api/products?category=${category.slug}&inStock=true`);

    expect(sold.body.items.map((item) => item.id)).to.deep.equal([plenty.id]);
    expect(back.body.items.map((item) => item.id).sort()).to.deep.equal([twoLeft.id, plenty.id].sort());
    expect(last.body.items.map((item) => item.id)).to.deep.equal([twoLeft.id]);
  });

  it('When reservations race for the last units of two variants while admins adjust, reprice and archive them, then nothing fails and in-stock listings follow the variants', async () => {
    const { url, internal } = await productService();
    const category = await givenCategory(url);
    const products = await Promise.all(
      Array.from({ length: 3 }, () =>
        givenProduct(url, { categoryIds: [category.id], variants: [variant(1), variant(1)] }),
      ),
    );

    for (let round = 0; round < 8; round += 1) {
      const orders = products.flatMap((product) =>
        product.variants.flatMap((v) =>
          [0, 1].map(() => ({ orderId: `race_${randomUUID()}`, variantId: v.id })),
        ),
      );
      // Admin writes lock the product before its variants; reservations lock them in the same order.
      const adminWrites = products.flatMap((product, index) => {
        const [a, b] = product.variants;
        return [
          adjust(url, product, a!.id, round % 2 === 0 ? 1 : -1),
          setVariant(url, product, b!.id, {
            price: { amount: 1_000 + round, currency: 'ARS' },
            status: (round + index) % 3 === 0 ? 'archived' : 'active',
          }),
        ];
      });
      const [reserved, written, during] = await Promise.all([
        Promise.all(orders.map(({ orderId, variantId }) => reserve(url, orderId, variantId))),
        Promise.all(adminWrites),
        call<Listing>(url, 'GET', `/api/products?category=${category.slug}&inStock=true&limit=100`),
      ]);

      expect(
        reserved.map((answer) => answer.status).filter((status) => status !== 201 && status !== 409),
      ).to.deep.equal([]);
      // A decrement may find every unit reserved: refused whole, never half-done.
      expect(
        written.map((answer) => answer.status).filter((status) => status !== 200 && status !== 409),
      ).to.deep.equal([]);
      for (const item of during.body.items)
        expect(sellable(item), `${item.name} listed in stock`).to.equal(true);
      await expectInStockAsVariantsSay(url, category.slug, products);

      await Promise.all(
        orders
          .filter((_order, index) => reserved[index]!.status === 201)
          .map(({ orderId }) => internal.release(orderId)),
      );
      await expectInStockAsVariantsSay(url, category.slug, products);
    }
  });
});
