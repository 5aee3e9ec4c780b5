import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Category, Page, Product, Variant } from '@escalable/shop-sdk';
import { postImport, ndjson, runPrefix } from './catalog-import-harness.js';
import {
  adminToken,
  call,
  givenCategory,
  givenProduct,
  orderServiceToken,
  productService,
  unique,
} from './harness.js';

type Listing = Page<Product>;

/** What the test wrote of a variant, and the stock it expects the variant to hold. */
interface WrittenVariant {
  id: string;
  sku: string;
  options: Record<string, string>;
  price: number;
  status: 'active' | 'archived';
  onHand: number;
  reserved: number;
}

/** What the test wrote of a product: every field its views show, bar its timestamps. */
interface WrittenProduct {
  id: string;
  name: string;
  slug: string;
  description: string;
  images: string[];
  attributes: Record<string, string | number | boolean>;
  status: 'draft' | 'active' | 'archived';
  categories: Category[];
  variants: WrittenVariant[];
}

/** The view a reader must get of the product, worked out from what the test wrote. */
function expectedView(product: WrittenProduct, staff: boolean) {
  const prices = product.variants.filter((v) => v.status === 'active').map((v) => v.price);
  return {
    id: product.id,
    name: product.name,
    slug: product.slug,
    description: product.description,
    images: product.images,
    attributes: product.attributes,
    status: product.status,
    currency: 'ARS',
    fromPrice: prices.length ? { amount: Math.min(...prices), currency: 'ARS' } : null,
    categories: [...product.categories].sort((a, b) => (a.name < b.name ? -1 : 1)),
    variants: product.variants.map((v) => ({
      id: v.id,
      productId: product.id,
      sku: v.sku,
      options: v.options,
      price: { amount: v.price, currency: 'ARS' },
      status: v.status,
      available: Math.max(v.onHand - v.reserved, 0),
      ...(staff ? { onHand: v.onHand, reserved: v.reserved } : {}),
    })),
  };
}

const withoutTimestamps = ({ createdAt: _c, updatedAt: _u, ...view }: Product) => view;

/**
 * The product as its page and as the listing of `category` show it, to the public (none when it is not
 * on sale) and to staff; the timestamps are checked to agree everywhere and set apart.
 */
async function readViews(url: string, product: WrittenProduct, category: Category) {
  const listingOf = async (token?: string) => {
    const status = product.status === 'active' ? '' : `&status=${product.status}`;
    const answer = await call<Listing>(url, 'GET', `/api/products?category=${category.slug}${status}`, {
      token,
    });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    return answer.body.items.find((item) => item.id === product.id);
  };
  const pageOf = async (token?: string) => {
    const answer = await call<Product>(url, 'GET', `/api/products/${product.slug}`, { token });
    return answer.status === 200 ? answer.body : undefined;
  };
  const staffPage = await pageOf(adminToken());
  const staffListed = await listingOf(adminToken());
  const publicPage = product.status === 'active' ? await pageOf() : undefined;
  const publicListed = product.status === 'active' ? await listingOf() : undefined;
  const shown = [staffPage, staffListed, publicPage, publicListed].filter((view) => view !== undefined);
  const timestamps = new Set(shown.map((view) => `${view.createdAt} ${view.updatedAt}`));
  expect(timestamps.size, 'every read shows the same timestamps').to.equal(1);
  return {
    staffPage: staffPage && withoutTimestamps(staffPage),
    staffListed: staffListed && withoutTimestamps(staffListed),
    publicPage: publicPage && withoutTimestamps(publicPage),
    publicListed: publicListed && withoutTimestamps(publicListed),
    updatedAt: staffPage!.updatedAt,
  };
}

async function expectViewsOf(url: string, product: WrittenProduct, category: Category): Promise<string> {
  const { updatedAt, ...views } = await readViews(url, product, category);
  const onSale = product.status === 'active';
  expect(views).to.deep.equal({
    staffPage: expectedView(product, true),
    staffListed: expectedView(product, true),
    publicPage: onSale ? expectedView(product, false) : undefined,
    publicListed: onSale ? expectedView(product, false) : undefined,
  });
  return updatedAt;
}

async function ok<T>(answer: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const { status: got, body } = await answer;
  expect(got, JSON.stringify(body)).to.equal(status);
  return body;
}

describe('Stored product and variant views', () => {
  it('When a product, its variants, its stock and its categories change through the API, then its page and the public and staff listings show exactly the new values', async () => {
    const { url } = await productService();
    const admin = adminToken();
    const shelf = await givenCategory(url, { name: 'Remeras' });
    const created = await givenProduct(url, {
      name: unique('Remera lisa'),
      description: 'Algodón',
      categoryIds: [shelf.id],
      variants: [
        { sku: unique('SKU'), options: { talle: 'M' }, price: { amount: 5000, currency: 'ARS' }, stock: 7 },
      ],
    });
    const product: WrittenProduct = {
      ...created,
      status: 'active',
      categories: [shelf],
      variants: [{ ...created.variants[0]!, price: 5000, status: 'active', onHand: 7, reserved: 0 }],
    };
    const variantPath = (v: WrittenVariant) => `/api/products/${product.id}/variants/${v.id}`;
    let updatedAt = await expectViewsOf(url, product, shelf);

    // The product's own fields.
    const edits = {
      name: unique('Remera "estampada" — ñandú'),
      description: 'Con \\ barra, "comillas" y\nsalto',
      images: ['https://img.example/a.jpg', 'https://img.example/b.jpg?x=1&y=2'],
      attributes: { material: 'algodón', gramaje: 180, organico: true },
    };
    await ok(call(url, 'PATCH', `/api/products/${product.id}`, { token: admin, body: edits }));
    Object.assign(product, edits);
    const afterEdit = await expectViewsOf(url, product, shelf);
    expect(Date.parse(afterEdit)).to.be.greaterThan(Date.parse(updatedAt));
    updatedAt = afterEdit;

    // A variant's price, options and SKU, one at a time (each its own column), and its answer to staff.
    const first = product.variants[0]!;
    const variantEdits: Array<[object, Partial<WrittenVariant>]> = [
      [{ price: { amount: 4200, currency: 'ARS' } }, { price: 4200 }],
      [{ options: { talle: 'L', color: 'azul' } }, { options: { talle: 'L', color: 'azul' } }],
      [{ sku: `${first.sku}-B` }, { sku: `${first.sku}-B` }],
    ];
    for (const [body, written] of variantEdits) {
      const answer = await ok(call<Variant>(url, 'PATCH', variantPath(first), { token: admin, body }));
      Object.assign(first, written);
      expect(answer).to.deep.equal(expectedView(product, true).variants[0]);
      await expectViewsOf(url, product, shelf);
    }

    // A new variant, cheaper: the product's price from follows.
    const added = await ok(
      call<Variant>(url, 'POST', `/api/products/${product.id}/variants`, {
        token: admin,
        body: {
          sku: unique('SKU'),
          options: { talle: 'S' },
          price: { amount: 3900, currency: 'ARS' },
          stock: 2,
        },
      }),
      201,
    );
    product.variants.push({ ...added, price: 3900, status: 'active', onHand: 2, reserved: 0 });
    await expectViewsOf(url, product, shelf);
    const second = product.variants[1]!;

    // Stock, by an adjustment and by a reservation through /internal.
    const adjusted = await ok(
      call<Variant>(url, 'POST', `${variantPath(first)}/stock-adjustments`, {
        token: admin,
        body: { delta: -4 },
      }),
    );
    first.onHand -= 4;
    expect(adjusted).to.deep.equal(expectedView(product, true).variants[0]);
    await expectViewsOf(url, product, shelf);
    await ok(
      call(url, 'POST', '/internal/reservations', {
        token: orderServiceToken(),
        body: { orderId: `ord_${randomUUID()}`, items: [{ variantId: second.id, quantity: 2 }] },
      }),
      201,
    );
    second.reserved += 2;
    await expectViewsOf(url, product, shelf);

    // The cheaper variant leaves sale: the price from goes back up.
    await ok(call(url, 'PATCH', variantPath(second), { token: admin, body: { status: 'archived' } }));
    second.status = 'archived';
    await expectViewsOf(url, product, shelf);

    // Its category renamed, and a second category linked.
    const renamed = await ok(
      call<Category>(url, 'PATCH', `/api/categories/${shelf.id}`, {
        token: admin,
        body: { name: 'Zz remeras' },
      }),
    );
    const other = await givenCategory(url, { name: 'Aa ofertas' });
    await ok(
      call(url, 'PATCH', `/api/products/${product.id}`, {
        token: admin,
        body: { categoryIds: [shelf.id, other.id] },
      }),
    );
    product.categories = [renamed, other];
    await expectViewsOf(url, product, shelf);

    // Its category moved under the other one, under a new slug.
    const moved = await ok(
      call<Category>(url, 'PATCH', `/api/categories/${shelf.id}`, {
        token: admin,
        body: { parentId: other.id, slug: unique('zz-remeras') },
      }),
    );
    expect(moved.parentId).to.equal(other.id);
    product.categories = [moved, other];
    await expectViewsOf(url, product, moved);

    // Out of sale, then back.
    await ok(call(url, 'PATCH', `/api/products/${product.id}`, { token: admin, body: { status: 'draft' } }));
    product.status = 'draft';
    await expectViewsOf(url, product, moved);
    expect((await call(url, 'GET', `/api/products/${product.id}`)).status).to.equal(404);
    await ok(call(url, 'PATCH', `/api/products/${product.id}`, { token: admin, body: { status: 'active' } }));
    product.status = 'active';
    await expectViewsOf(url, product, moved);
  });

  it('When an import rewrites a product and its variants, then its page and listings show the imported values', async () => {
    const { url } = await productService();
    const prefix = runPrefix('views');
    const shelf = await givenCategory(url);
    const line = (name: string, amount: number) => ({
      name,
      slug: `${prefix}-remera`,
      description: `${name} desc`,
      images: [`https://img.example/${name}.jpg`],
      attributes: { version: name },
      status: 'active' as const,
      categories: [shelf.slug],
      variants: [
        { sku: `${prefix}-s`, options: { talle: 'S' }, price: { amount, currency: 'ARS' }, stock: 3 },
      ],
    });
    await ok(postImport(url, ndjson([line('uno', 1000)])));
    const [imported] = (
      await ok(call<Listing>(url, 'GET', `/api/products?category=${shelf.slug}`, { token: adminToken() }))
    ).items;

    await ok(postImport(url, ndjson([line('dos', 2000)])));

    const product: WrittenProduct = {
      ...line('dos', 2000),
      id: imported!.id,
      categories: [shelf],
      variants: [
        {
          ...imported!.variants[0]!,
          price: 2000,
          options: { talle: 'S' },
          status: 'active',
          onHand: 3,
          reserved: 0,
        },
      ],
    };
    await expectViewsOf(url, product, shelf);
  });
});
