import { expect } from 'chai';
import { ShopClient, type Page, type ProblemDetails, type Product } from '@escalable/shop-sdk';
import { adminToken, call, givenCategory, givenProduct, productService, unique } from './harness.js';

type Listing = Page<Product>;

function variant(amount: number, stock: number) {
  return { sku: unique('SKU'), price: { amount, currency: 'ARS' }, stock };
}

/** A category subtree of its own with four products, so the test's totals are its own. */
async function givenShelf(url: string) {
  const root = await givenCategory(url, { name: 'Calzado' });
  const child = await givenCategory(url, { name: 'Zapatillas', parentId: root.id });
  const other = await givenCategory(url, { name: 'Otros' });
  const word = unique('zq').replace('-', '');
  const boots = await givenProduct(url, {
    name: `Botas de cuero ${word}`,
    description: 'Cuero vacuno, suela de goma',
    categoryIds: [root.id],
    variants: [variant(50_000, 0), variant(60_000, 2)],
  });
  const runners = await givenProduct(url, {
    name: `Zapatillas running ${word}`,
    description: 'Livianas para correr',
    categoryIds: [child.id],
    variants: [variant(30_000, 4)],
  });
  const sandals = await givenProduct(url, {
    name: `Alpargatas ${word}`,
    description: 'Lona y yute, hechas a mano',
    categoryIds: [child.id],
    variants: [variant(10_000, 0)],
  });
  const socks = await givenProduct(url, {
    name: `Medias de lana ${word}`,
    description: 'Abrigan en botas de invierno',
    categoryIds: [other.id],
    variants: [variant(5_000, 9)],
  });
  return { root, child, other, word, boots, runners, sandals, socks };
}

const names = (answer: { body: Listing }) => answer.body.items.map((product) => product.name.split(' ')[0]);

describe('Product listing', () => {
  it('When a visitor filters by a category, then its subcategories are included, with the total', async () => {
    const { url } = await productService();
    const shelf = await givenShelf(url);

    const parent = await call<Listing>(url, 'GET', `/api/products?category=${shelf.root.slug}&sort=name`);
    const child = await call<Listing>(url, 'GET', `/api/products?category=${shelf.child.id}&sort=name`);

    expect(parent.status).to.equal(200);
    expect(parent.body.total).to.equal(3);
    expect(names(parent)).to.deep.equal(['Alpargatas', 'Botas', 'Zapatillas']);
    expect(names(child)).to.deep.equal(['Alpargatas', 'Zapatillas']);
  });

  it('When a visitor searches, then names and descriptions match with full-text search, names ranked first', async () => {
    const { url } = await productService();
    const shelf = await givenShelf(url);

    const botas = await call<Listing>(
      url,
      'GET',
      `/api/products?q=${encodeURIComponent(`botas ${shelf.word}`)}`,
    );
    const phrase = await call<Listing>(
      url,
      'GET',
      `/api/products?q=${encodeURIComponent(`"hechas a mano" ${shelf.word}`)}`,
    );
    const excluded = await call<Listing>(
      url,
      'GET',
      `/api/products?q=${encodeURIComponent(`${shelf.word} -cuero`)}&sort=name`,
    );

    expect(names(botas)).to.deep.equal(['Botas', 'Medias']);
    expect(names(phrase)).to.deep.equal(['Alpargatas']);
    expect(names(excluded)).to.deep.equal(['Alpargatas', 'Medias', 'Zapatillas']);
  });

  it('When a visitor filters by price range and stock, then the range holds the "from" price and a variant is in stock', async () => {
    const { url } = await productService();
    const shelf = await givenShelf(url);
    const under = `/api/products?q=${shelf.word}&sort=price`;

    const range = await call<Listing>(url, 'GET', `${under}&minPrice=20000&maxPrice=55000`);
    const inStock = await call<Listing>(url, 'GET', `${under}&inStock=true`);
    const cheapInStock = await call<Listing>(url, 'GET', `${under}&maxPrice=55000&inStock=true`);

    expect(names(range)).to.deep.equal(['Zapatillas', 'Botas']);
    expect(names(inStock)).to.deep.equal(['Medias', 'Zapatillas', 'Botas']);
    // The boots are "from 50 000" and can be bought (the 60 000 pair): the shopper sees what was asked.
    expect(names(cheapInStock)).to.deep.equal(['Medias', 'Zapatillas', 'Botas']);
  });

  it('When a visitor sorts, then price goes by the lowest variant price, name alphabetically, newest first', async () => {
    const { url } = await productService();
    const shelf = await givenShelf(url);
    const of = (sort: string) => call<Listing>(url, 'GET', `/api/products?q=${shelf.word}&sort=${sort}`);

    const [price, priceDesc, name, nameDesc, newest] = await Promise.all([
      of('price'),
      of('-price'),
      of('name'),
      of('-name'),
      of('newest'),
    ]);

    expect(names(price)).to.deep.equal(['Medias', 'Alpargatas', 'Zapatillas', 'Botas']);
    expect(names(priceDesc)).to.deep.equal(['Botas', 'Zapatillas', 'Alpargatas', 'Medias']);
    expect(names(name)).to.deep.equal(['Alpargatas', 'Botas', 'Medias', 'Zapatillas']);
    expect(names(nameDesc)).to.deep.equal(['Zapatillas', 'Medias', 'Botas', 'Alpargatas']);
    expect(names(newest)).to.deep.equal(['Medias', 'Alpargatas', 'Zapatillas', 'Botas']);
  });

  it('When a visitor pages through, then each page has its slice and every page the same total', async () => {
    const { url } = await productService();
    const shelf = await givenShelf(url);
    const page = (offset: number) =>
      call<Listing>(url, 'GET', `/api/products?q=${shelf.word}&sort=name&limit=3&offset=${offset}`);

    const [first, second, beyond] = await Promise.all([page(0), page(3), page(10)]);

    expect(names(first)).to.deep.equal(['Alpargatas', 'Botas', 'Medias']);
    expect(names(second)).to.deep.equal(['Zapatillas']);
    expect(beyond.body.items).to.deep.equal([]);
    expect([first.body.total, second.body.total, beyond.body.total]).to.deep.equal([4, 4, 4]);
    expect(first.body).to.include({ limit: 3, offset: 0 });
  });

  it('When drafts exist, then only admins asking by status see them', async () => {
    const { url } = await productService();
    const category = await givenCategory(url);
    await givenProduct(url, { categoryIds: [category.id] });
    await givenProduct(url, { categoryIds: [category.id], status: 'draft' });

    const visitor = await call<Listing>(url, 'GET', `/api/products?category=${category.slug}`);
    const admin = await call<Listing>(url, 'GET', `/api/products?category=${category.slug}`, {
      token: adminToken(),
    });
    const drafts = await call<Listing>(url, 'GET', `/api/products?category=${category.slug}&status=draft`, {
      token: adminToken(),
    });

    expect([visitor.body.total, admin.body.total, drafts.body.total]).to.deep.equal([1, 1, 1]);
    expect(drafts.body.items[0]!.status).to.equal('draft');
  });

  it('When staff and a visitor list a product, then each sees it as its page shows them, stock figures for staff only', async () => {
    const { url } = await productService();
    const category = await givenCategory(url);
    const product = await givenProduct(url, { categoryIds: [category.id], variants: [variant(7_500, 3)] });
    const staff = { token: adminToken() };

    const visitorListing = await call<Listing>(url, 'GET', `/api/products?category=${category.slug}`);
    const staffListing = await call<Listing>(url, 'GET', `/api/products?category=${category.slug}`, staff);
    const visitorPage = await call<Product>(url, 'GET', `/api/products/${product.id}`);
    const staffPage = await call<Product>(url, 'GET', `/api/products/${product.id}`, staff);

    expect(visitorListing.body.items).to.deep.equal([visitorPage.body]);
    expect(staffListing.body.items).to.deep.equal([staffPage.body]);
    expect(visitorPage.body.variants[0]).to.deep.include({
      available: 3,
      price: { amount: 7_500, currency: 'ARS' },
    });
    expect(visitorPage.body.variants[0]).not.to.have.any.keys('onHand', 'reserved');
    expect(staffPage.body.variants[0]).to.include({ available: 3, onHand: 3, reserved: 0 });
    expect(staffPage.body.createdAt).to.equal(new Date(staffPage.body.createdAt).toISOString());
  });

  for (const [what, query] of [
    ['a negative price', 'minPrice=-1'],
    ['a non-integer price', 'maxPrice=10.5'],
    ['an empty price', 'minPrice='],
    ['a price range upside down', 'minPrice=500&maxPrice=100'],
    ['an unknown sort', 'sort=cheapest'],
    ['relevance without a search', 'sort=relevance'],
    ['a limit too large', 'limit=1000'],
    ['a stock flag that is not a boolean', 'inStock=maybe'],
    ['an unknown filter', 'colour=red'],
    ['a malformed category', 'category=Not%20a%20slug'],
    ['an unknown status', 'status=deleted'],
  ] as const) {
    it(`When the listing gets ${what}, then 400 problem+json`, async () => {
      const { url } = await productService();

      const answer = await call(url, 'GET', `/api/products?${query}`, { token: adminToken() });

      expect(answer.status).to.equal(400);
      expect(answer.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(answer.body.type).to.match(/validation$/);
    });
  }

  it('When the category filter names no category, then 404', async () => {
    const { url } = await productService();

    const answer = await call(url, 'GET', `/api/products?category=${unique('nowhere')}`);

    expect(answer.status).to.equal(404);
  });

  it('When a category listed before is deleted, then listing it by slug or id answers 404 naming it', async () => {
    const { url } = await productService();
    const category = await givenCategory(url);
    for (const key of [category.slug, category.id]) {
      expect((await call(url, 'GET', `/api/products?category=${key}`)).status).to.equal(200);
    }
    expect(
      (await call(url, 'DELETE', `/api/categories/${category.id}`, { token: adminToken() })).status,
    ).to.equal(204);

    const answers = [];
    for (const key of [category.slug, category.id]) {
      answers.push(await call<ProblemDetails>(url, 'GET', `/api/products?category=${key}`));
    }

    for (const [index, key] of [category.slug, category.id].entries()) {
      expect(answers[index]!.status).to.equal(404);
      expect(answers[index]!.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(answers[index]!.body.type).to.match(/not-found$/);
      expect(answers[index]!.body.detail).to.contain(`The category "${key}"`);
    }
  });

  it('When an app uses the SDK, then it lists, reads and manages the catalog through the typed clients', async () => {
    const { url } = await productService();
    const shop = new ShopClient({ baseUrl: url });
    shop.tokens = {
      tokenType: 'Bearer',
      accessToken: adminToken(),
      expiresIn: 300,
      refreshToken: 'unused',
      refreshExpiresIn: 0,
    };

    const category = await shop.categories.create({ name: 'SDK', slug: unique('sdk') });
    const created = await shop.products.create({
      name: unique('SDK product'),
      status: 'active',
      categoryIds: [category.id],
      variants: [{ sku: unique('SKU'), price: { amount: 700, currency: 'USD' }, stock: 2 }],
    });
    const adjusted = await shop.products.adjustStock(created.id, created.variants[0]!.id, {
      delta: 3,
      note: 'delivery',
    });
    shop.tokens = undefined;
    const page = await shop.products.list({ category: category.slug, inStock: true });
    const read = await shop.products.get(created.slug);
    const detail = await shop.categories.get(category.slug);

    expect(adjusted).to.include({ onHand: 5, available: 5 });
    expect(page.total).to.equal(1);
    expect(read.variants[0]!.available).to.equal(5);
    expect(detail.id).to.equal(category.id);
  });
});
