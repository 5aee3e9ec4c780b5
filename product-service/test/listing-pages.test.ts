import { expect } from 'chai';
import {
  ShopClient,
  type Category,
  type CursorPage,
  type Product,
  type ProductSort,
} from '@escalable/shop-sdk';
import {
  adminToken,
  call,
  givenCategory,
  givenProduct,
  productService,
  unique,
  type ProblemBody,
} from './harness.js';

type Listing = CursorPage<Product>;

let made = 0;
/** A product of the category with its own name and price, so every sort places it somewhere else. */
function givenShelfProduct(url: string, category: Category): Promise<Product> {
  made += 1;
  const spread = (made * 7919) % 1000;
  return givenProduct(url, {
    name: `${String.fromCharCode(97 + (spread % 26))}${unique('item')}`,
    categoryIds: [category.id],
    variants: [{ sku: unique('SKU'), price: { amount: 1_000 + spread * 10, currency: 'ARS' }, stock: 1 }],
  });
}

const ids = (answer: { body: Listing }) => answer.body.items.map((product) => product.id);

describe('Product listing by cursor', () => {
  for (const sort of ['newest', 'price', '-price', 'name', '-name'] as ProductSort[]) {
    it(`When a client walks every page of sort=${sort} with after while products are added, then none that was there is skipped or repeated`, async () => {
      const { url } = await productService();
      const category = await givenCategory(url);
      const existing = new Set<string>();
      for (let index = 0; index < 13; index += 1) existing.add((await givenShelfProduct(url, category)).id);
      const seen: string[] = [];

      let after: string | null = null;
      let pages = 0;
      do {
        const query: string = `category=${category.slug}&sort=${sort}&limit=4${after ? `&after=${after}` : ''}`;
        const page = await call<Listing>(url, 'GET', `/api/products?${query}`);
        expect(page.status).to.equal(200);
        seen.push(...ids(page));
        after = page.body.nextCursor;
        pages += 1;
        // Newcomers land before and after the cursor alike: offsets would shift under them.
        await Promise.all([givenShelfProduct(url, category), givenShelfProduct(url, category)]);
      } while (after && pages < 50);

      expect(seen.length, 'no product repeated').to.equal(new Set(seen).size);
      expect(seen.filter((id) => existing.has(id))).to.have.lengthOf(existing.size);
    });
  }

  it('When a search is walked by relevance with after, then the pages hold every match once, in rank order', async () => {
    const { url } = await productService();
    const word = unique('zr').replace('-', '');
    for (let index = 0; index < 7; index += 1) {
      await givenProduct(url, {
        name: index % 2 ? `${word} ${word} ${index}` : unique('Mate'),
        description: index % 2 ? '' : `con ${word}`,
      });
    }
    const whole = await call<Listing>(url, 'GET', `/api/products?q=${word}&limit=50`);

    const walked: string[] = [];
    let after: string | null = null;
    do {
      const page: { body: Listing } = await call<Listing>(
        url,
        'GET',
        `/api/products?q=${word}&limit=3${after ? `&after=${after}` : ''}`,
      );
      walked.push(...ids(page));
      after = page.body.nextCursor;
    } while (after);

    expect(whole.body.items).to.have.lengthOf(7);
    expect(walked).to.deep.equal(ids(whole));
  });

  it('When an app pages with the SDK, then each nextCursor goes back as after until it is null', async () => {
    const { url } = await productService();
    const category = await givenCategory(url);
    for (let index = 0; index < 5; index += 1) await givenShelfProduct(url, category);
    const shop = new ShopClient({ baseUrl: url });

    const seen: string[] = [];
    let page = await shop.products.list({ category: category.slug, sort: 'price', limit: 2 });
    seen.push(...page.items.map((product) => product.id));
    while (page.nextCursor) {
      page = await shop.products.list({
        category: category.slug,
        sort: 'price',
        limit: 2,
        after: page.nextCursor,
      });
      seen.push(...page.items.map((product) => product.id));
    }

    expect(new Set(seen).size).to.equal(5);
    expect(page).to.include({ total: 5, totalIsEstimate: false });
  });

  it('When the last page is read, then nextCursor is null and the total is exact', async () => {
    const { url } = await productService();
    const category = await givenCategory(url);
    for (let index = 0; index < 5; index += 1) await givenShelfProduct(url, category);

    const first = await call<Listing>(url, 'GET', `/api/products?category=${category.slug}&limit=3`);
    const last = await call<Listing>(
      url,
      'GET',
      `/api/products?category=${category.slug}&limit=3&after=${first.body.nextCursor}`,
    );
    const exactFit = await call<Listing>(url, 'GET', `/api/products?category=${category.slug}&limit=5`);

    expect(first.body).to.include({ total: 5, totalIsEstimate: false });
    expect(first.body.nextCursor).to.be.a('string');
    expect(last.body.items).to.have.lengthOf(2);
    expect(last.body).to.include({ total: 5, totalIsEstimate: false, nextCursor: null });
    expect(exactFit.body).to.include({ total: 5, nextCursor: null });
  });

  it('When more products match than are counted exactly, then the total is an estimate, marked so', async () => {
    const { url, db } = await productService();
    const category = await givenCategory(url);
    await db.sequelize.query(
      `WITH made AS (
         INSERT INTO products (id, name, slug, status, currency)
         SELECT gen_random_uuid(), 'Bulk ' || i, $prefix || i, 'active', 'ARS' FROM generate_series(1, 600) i
         RETURNING id)
       INSERT INTO product_categories (product_id, category_id) SELECT id, $category FROM made`,
      { bind: { prefix: `${unique('bulk')}-`, category: category.id } },
    );
    await db.sequelize.query('ANALYZE products, product_categories');

    const page = await call<Listing>(url, 'GET', `/api/products?category=${category.slug}&limit=10`);

    expect(page.status).to.equal(200);
    expect(page.body.totalIsEstimate).to.equal(true);
    expect(page.body.total).to.be.above(500);
  });

  const cursorOf = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');
  const someId = '5f0c1d6e-8b1a-4a7e-9a53-0e0a3f4b2c11';
  for (const [what, after, sort] of [
    ['not base64url', '!!!not-a-cursor!!!', 'newest'],
    ['not JSON', Buffer.from('{"sort":').toString('base64url'), 'newest'],
    [
      'a timestamp that is no date',
      cursorOf({ sort: 'newest', position: ['2026-02-30T10:00:00+00:00', someId] }),
      'newest',
    ],
    ['a price that is text', cursorOf({ sort: 'price', position: ['cheap', someId] }), 'price'],
    ['a price beyond bigint', cursorOf({ sort: 'price', position: [1e300, someId] }), 'price'],
    ['an id that is no UUID', cursorOf({ sort: 'name', position: ['mate', 'x'] }), 'name'],
    ['a NUL in a name', cursorOf({ sort: 'name', position: ['ma\u0000te', someId] }), 'name'],
    ['a position too long', cursorOf({ sort: 'name', position: ['mate', someId, 3] }), 'name'],
    ['a cursor of another sort', cursorOf({ sort: 'price', position: [100, someId] }), 'name'],
  ] as const) {
    it(`When the listing gets a cursor that is ${what}, then 400 problem+json naming after`, async () => {
      const { url } = await productService();

      const answer = await call<ProblemBody>(url, 'GET', `/api/products?sort=${sort}&after=${after}`);

      expect(answer.status).to.equal(400);
      expect(answer.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(answer.body.invalidParams.map((param) => param.name)).to.deep.equal(['after']);
    });
  }

  it('When a cursor comes with an offset, then 400 naming offset', async () => {
    const { url } = await productService();
    await givenProduct(url);
    await givenProduct(url);
    const first = await call<Listing>(url, 'GET', '/api/products?limit=1', { token: adminToken() });

    const answer = await call<ProblemBody>(
      url,
      'GET',
      `/api/products?limit=1&offset=2&after=${first.body.nextCursor}`,
    );

    expect(answer.status).to.equal(400);
    expect(answer.body.invalidParams.map((param) => param.name)).to.deep.equal(['offset']);
  });
});
