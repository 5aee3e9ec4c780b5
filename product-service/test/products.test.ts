import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Product, Variant } from '@escalable/shop-sdk';
import {
  adminToken,
  call,
  countRows,
  customerToken,
  givenCategory,
  givenProduct,
  productService,
  expectStock,
  unique,
  type ProblemBody,
} from './harness.js';

describe('Product administration', () => {
  it('When an admin creates a product with variants and stock, then it reads back whole with an initial ledger', async () => {
    const { url, db } = await productService();
    const category = await givenCategory(url);
    const [skuS, skuM] = [unique('TEE-S'), unique('TEE-M')];

    const answer = await call<Product>(url, 'POST', '/api/products', {
      token: adminToken(),
      body: {
        name: 'Camiseta Básica',
        slug: unique('camiseta'),
        description: 'Algodón peinado',
        images: ['https://cdn.example.test/tee.jpg'],
        attributes: { material: 'cotton', weightGrams: 180 },
        status: 'active',
        categoryIds: [category.id],
        variants: [
          { sku: skuS, options: { size: 'S' }, price: { amount: 1999900, currency: 'ARS' }, stock: 3 },
          { sku: skuM, options: { size: 'M' }, price: { amount: 2099900, currency: 'ARS' } },
        ],
      },
    });
    const readBack = await call<Product>(url, 'GET', `/api/products/${answer.body.slug}`);

    expect(answer.status).to.equal(201);
    expect(answer.headers.location).to.equal(`/api/products/${answer.body.id}`);
    expect(readBack.status).to.equal(200);
    expect(readBack.body).to.include({ name: 'Camiseta Básica', status: 'active', currency: 'ARS' });
    expect(readBack.body.categories.map((c) => c.id)).to.deep.equal([category.id]);
    expect(
      readBack.body.variants.map((v) => [v.sku, v.options.size, v.price.amount, v.available]),
    ).to.deep.equal([
      [skuS, 'S', 1999900, 3],
      [skuM, 'M', 2099900, 0],
    ]);
    expect(readBack.body.variants[0]).not.to.have.property('onHand');
    await expectStock(db, readBack.body.variants[0]!.id, { onHand: 3, reserved: 0 });
  });

  it('When no slug is sent, then one is made from the name', async () => {
    const { url } = await productService();
    const word = unique('Zapatilla Ñandú');

    const product = await givenProduct(url, { name: word });

    expect(product.slug).to.equal(word.toLowerCase().replace('ñ', 'n').replace('ú', 'u').replace(' ', '-'));
  });

  it('When a SKU is taken (in any letter case), then 409 duplicate-sku and nothing is written', async () => {
    const { url, db } = await productService();
    const existing = await givenProduct(url);
    const name = unique('Copycat');

    const answer = await call(url, 'POST', '/api/products', {
      token: adminToken(),
      body: {
        name,
        variants: [{ sku: existing.variants[0]!.sku.toLowerCase(), price: { amount: 1, currency: 'ARS' } }],
      },
    });

    expect(answer.status).to.equal(409);
    expect(answer.body.type).to.match(/duplicate-sku$/);
    expect(await countRows(db, 'products', { name })).to.equal(0);
  });

  it('When a slug is taken, then 409 duplicate-slug', async () => {
    const { url } = await productService();
    const existing = await givenProduct(url);

    const answer = await call(url, 'POST', '/api/products', {
      token: adminToken(),
      body: {
        name: 'Other',
        slug: existing.slug,
        variants: [{ sku: unique('SKU'), price: { amount: 1, currency: 'ARS' } }],
      },
    });
    const renamed = await call(url, 'PATCH', `/api/products/${(await givenProduct(url)).id}`, {
      token: adminToken(),
      body: { slug: existing.slug },
    });

    expect([answer.status, renamed.status]).to.deep.equal([409, 409]);
    expect(answer.body.type).to.match(/duplicate-slug$/);
  });

  for (const [what, price, field] of [
    ['a negative price', { amount: -1, currency: 'ARS' }, 'variants.0.price.amount'],
    ['a non-integer price', { amount: 10.5, currency: 'ARS' }, 'variants.0.price.amount'],
    ['a price as a string', { amount: '100', currency: 'ARS' }, 'variants.0.price.amount'],
    ['a lowercase currency', { amount: 100, currency: 'ars' }, 'variants.0.price.currency'],
    ['a currency that ISO 4217 does not list', { amount: 100, currency: 'XYZ' }, 'variants.0.price.currency'],
  ] as const) {
    it(`When a variant has ${what}, then 400 problem+json naming the field, and nothing is written`, async () => {
      const { url, db } = await productService();
      const name = unique('Invalid');

      const answer = await call<{ invalidParams: Array<{ name: string; in: string }> }>(
        url,
        'POST',
        '/api/products',
        {
          token: adminToken(),
          body: { name, variants: [{ sku: unique('SKU'), price }] },
        },
      );

      expect(answer.status).to.equal(400);
      expect(answer.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(answer.body.invalidParams.map((p) => p.name)).to.include(field);
      expect(await countRows(db, 'products', { name })).to.equal(0);
    });
  }

  it('When the body has unknown fields, a negative stock, no variants or broken JSON, then 400', async () => {
    const { url } = await productService();
    const variant = { sku: unique('SKU'), price: { amount: 100, currency: 'ARS' } };

    const extra = await call(url, 'POST', '/api/products', {
      token: adminToken(),
      body: { name: 'X', variants: [variant], onSale: true },
    });
    const negativeStock = await call(url, 'POST', '/api/products', {
      token: adminToken(),
      body: { name: 'X', variants: [{ ...variant, stock: -2 }] },
    });
    const noVariants = await call(url, 'POST', '/api/products', {
      token: adminToken(),
      body: { name: 'X', variants: [] },
    });
    const malformed = await call(url, 'POST', '/api/products', { token: adminToken(), rawBody: '{"name":' });

    expect([extra.status, negativeStock.status, noVariants.status, malformed.status]).to.deep.equal([
      400, 400, 400, 400,
    ]);
    expect(extra.body.invalidParams).to.deep.include({
      in: 'body',
      name: 'onSale',
      reason: 'is not an accepted field',
    });
  });

  it('When variants mix currencies, then 400; a product is priced in one currency', async () => {
    const { url } = await productService();
    const product = await givenProduct(url);

    const mixed = await call(url, 'POST', '/api/products', {
      token: adminToken(),
      body: {
        name: 'Mixed',
        variants: [
          { sku: unique('SKU'), price: { amount: 100, currency: 'ARS' } },
          { sku: unique('SKU'), price: { amount: 100, currency: 'USD' } },
        ],
      },
    });
    const added = await call(url, 'POST', `/api/products/${product.id}/variants`, {
      token: adminToken(),
      body: { sku: unique('SKU'), price: { amount: 100, currency: 'USD' } },
    });
    const repriced = await call(
      url,
      'PATCH',
      `/api/products/${product.id}/variants/${product.variants[0]!.id}`,
      {
        token: adminToken(),
        body: { price: { amount: 100, currency: 'EUR' } },
      },
    );

    expect([mixed.status, added.status, repriced.status]).to.deep.equal([400, 400, 400]);
    expect((await call<Product>(url, 'GET', `/api/products/${product.id}`)).body.variants).to.have.length(1);
  });

  it('When an admin updates fields and categories, then the product reads back changed', async () => {
    const { url } = await productService();
    const [first, second] = [await givenCategory(url), await givenCategory(url)];
    const product = await givenProduct(url, { categoryIds: [first.id] });

    const answer = await call<Product>(url, 'PATCH', `/api/products/${product.id}`, {
      token: adminToken(),
      body: {
        name: 'Renamed',
        description: 'New words',
        categoryIds: [second.id],
        attributes: { fit: 'slim' },
      },
    });
    const readBack = await call<Product>(url, 'GET', `/api/products/${product.id}`);

    expect(answer.status).to.equal(200);
    expect(readBack.body).to.include({ name: 'Renamed', description: 'New words' });
    expect(readBack.body.attributes).to.deep.equal({ fit: 'slim' });
    expect(readBack.body.categories.map((c) => c.id)).to.deep.equal([second.id]);
  });

  it('When an admin adds and changes variants, then they read back with their price and options', async () => {
    const { url, db } = await productService();
    const product = await givenProduct(url);
    const sku = unique('SKU-L');

    const added = await call<Variant>(url, 'POST', `/api/products/${product.id}/variants`, {
      token: adminToken(),
      body: { sku, options: { size: 'L' }, price: { amount: 2500, currency: 'ARS' }, stock: 7 },
    });
    const changed = await call<Variant>(
      url,
      'PATCH',
      `/api/products/${product.id}/variants/${added.body.id}`,
      {
        token: adminToken(),
        body: { price: { amount: 2400, currency: 'ARS' }, options: { size: 'L', colour: 'red' } },
      },
    );
    const readBack = await call<Product>(url, 'GET', `/api/products/${product.id}`);

    expect([added.status, changed.status]).to.deep.equal([201, 200]);
    expect(added.body).to.include({ sku, onHand: 7, reserved: 0, available: 7 });
    expect(readBack.body.variants[1]).to.deep.include({
      sku,
      options: { size: 'L', colour: 'red' },
      price: { amount: 2400, currency: 'ARS' },
    });
    await expectStock(db, added.body.id, { onHand: 7 });
  });

  it('When the last active variant would be archived, then 409; another one can go', async () => {
    const { url } = await productService();
    const product = await givenProduct(url);
    const second = await call<Variant>(url, 'POST', `/api/products/${product.id}/variants`, {
      token: adminToken(),
      body: { sku: unique('SKU'), price: { amount: 100, currency: 'ARS' } },
    });

    const archiveSecond = await call<Variant>(
      url,
      'PATCH',
      `/api/products/${product.id}/variants/${second.body.id}`,
      {
        token: adminToken(),
        body: { status: 'archived' },
      },
    );
    const archiveLast = await call(
      url,
      'PATCH',
      `/api/products/${product.id}/variants/${product.variants[0]!.id}`,
      {
        token: adminToken(),
        body: { status: 'archived' },
      },
    );

    expect(archiveSecond.status).to.equal(200);
    expect(archiveSecond.body.status).to.equal('archived');
    expect(archiveLast.status).to.equal(409);
    expect(archiveLast.body.type).to.match(/last-variant$/);
  });

  it('When a product is archived, then it leaves listings but stays readable by id and slug', async () => {
    const { url } = await productService();
    const category = await givenCategory(url);
    const product = await givenProduct(url, { categoryIds: [category.id] });

    const archived = await call<Product>(url, 'POST', `/api/products/${product.id}/archive`, {
      token: adminToken(),
    });
    const listing = await call<{ total: number }>(url, 'GET', `/api/products?category=${category.slug}`);
    const byId = await call<Product>(url, 'GET', `/api/products/${product.id}`);
    const bySlug = await call<Product>(url, 'GET', `/api/products/${product.slug}`);
    const adminListing = await call<{ total: number }>(
      url,
      'GET',
      `/api/products?category=${category.slug}&status=archived`,
      {
        token: adminToken(),
      },
    );

    expect(archived.status).to.equal(200);
    expect(archived.body.status).to.equal('archived');
    expect(listing.body.total).to.equal(0);
    expect([byId.status, bySlug.status]).to.deep.equal([200, 200]);
    expect(byId.body.status).to.equal('archived');
    expect(adminListing.body.total).to.equal(1);
  });

  it('When an archived product has no active variant left, then it cannot go back on sale or to draft (409)', async () => {
    const { url } = await productService();
    const category = await givenCategory(url);
    const product = await givenProduct(url, { categoryIds: [category.id] });
    await call(url, 'POST', `/api/products/${product.id}/archive`, { token: adminToken() });
    await call(url, 'PATCH', `/api/products/${product.id}/variants/${product.variants[0]!.id}`, {
      token: adminToken(),
      body: { status: 'archived' },
    });

    const onSale = await call<ProblemBody>(url, 'PATCH', `/api/products/${product.id}`, {
      token: adminToken(),
      body: { status: 'active' },
    });
    const draft = await call<ProblemBody>(url, 'PATCH', `/api/products/${product.id}`, {
      token: adminToken(),
      body: { status: 'draft' },
    });
    const listing = await call<{ total: number }>(url, 'GET', `/api/products?category=${category.slug}`);

    expect([onSale.status, draft.status]).to.deep.equal([409, 409]);
    expect(onSale.body.type).to.match(/no-active-variant$/);
    expect(listing.body.total).to.equal(0);
    expect((await call<Product>(url, 'GET', `/api/products/${product.id}`)).body.status).to.equal('archived');
  });

  it('When a variant of an archived product is put back on sale first, then the product can follow and sell', async () => {
    const { url, internal } = await productService();
    const category = await givenCategory(url);
    const product = await givenProduct(url, { categoryIds: [category.id] });
    const variantPath = `/api/products/${product.id}/variants/${product.variants[0]!.id}`;
    await call(url, 'POST', `/api/products/${product.id}/archive`, { token: adminToken() });
    await call(url, 'PATCH', variantPath, { token: adminToken(), body: { status: 'archived' } });

    const variant = await call(url, 'PATCH', variantPath, {
      token: adminToken(),
      body: { status: 'active' },
    });
    const onSale = await call<Product>(url, 'PATCH', `/api/products/${product.id}`, {
      token: adminToken(),
      body: { status: 'active' },
    });
    const listing = await call<{ total: number }>(url, 'GET', `/api/products?category=${category.slug}`);
    const reservation = await internal.reserve(`unarchived-${product.id}`, [
      { variantId: product.variants[0]!.id, quantity: 1 },
    ]);

    expect([variant.status, onSale.status]).to.deep.equal([200, 200]);
    expect(onSale.body.status).to.equal('active');
    expect(listing.body.total).to.equal(1);
    expect(reservation.status).to.equal('active');
  });

  it('When a product is a draft, then visitors get 404 and admins see it', async () => {
    const { url } = await productService();
    const draft = await givenProduct(url, { status: 'draft' });

    const visitor = await call(url, 'GET', `/api/products/${draft.id}`);
    const customer = await call(url, 'GET', `/api/products/${draft.id}`, { token: customerToken() });
    const admin = await call<Product>(url, 'GET', `/api/products/${draft.id}`, { token: adminToken() });

    expect([visitor.status, customer.status, admin.status]).to.deep.equal([404, 404, 200]);
    expect(admin.body.variants[0]).to.include({ onHand: 5, reserved: 0 });
  });

  it('When the product or variant does not exist, then 404; a malformed id 400', async () => {
    const { url } = await productService();
    const product = await givenProduct(url);
    const missing = '6f1c1d3e-2f7b-4c55-9a3c-1d2e3f4a5b6c';

    const read = await call(url, 'GET', `/api/products/${missing}`);
    const readSlug = await call(url, 'GET', '/api/products/no-such-product');
    const patch = await call(url, 'PATCH', `/api/products/${missing}`, {
      token: adminToken(),
      body: { name: 'X' },
    });
    const variant = await call(url, 'PATCH', `/api/products/${product.id}/variants/${missing}`, {
      token: adminToken(),
      body: { sku: unique('SKU') },
    });
    const malformed = await call(url, 'PATCH', '/api/products/42', {
      token: adminToken(),
      body: { name: 'X' },
    });

    expect([read.status, readSlug.status, patch.status, variant.status, malformed.status]).to.deep.equal([
      404, 404, 404, 404, 400,
    ]);
  });

  it('When a path parameter is malformed, then 400 names that parameter', async () => {
    const { url } = await productService();
    const product = await givenProduct(url);

    const bySlug = await call<ProblemBody>(url, 'GET', '/api/products/Bad_Slug');
    const byId = await call<ProblemBody>(url, 'PATCH', '/api/products/42', {
      token: adminToken(),
      body: { name: 'X' },
    });
    const variant = await call<ProblemBody>(url, 'PATCH', `/api/products/${product.id}/variants/42`, {
      token: adminToken(),
      body: { sku: unique('SKU') },
    });

    expect([bySlug.status, byId.status, variant.status]).to.deep.equal([400, 400, 400]);
    expect(bySlug.body.invalidParams).to.deep.equal([
      { in: 'params', name: 'idOrSlug', reason: 'must be an id (UUID) or a slug' },
    ]);
    expect(byId.body.invalidParams.map((param) => param.name)).to.deep.equal(['id']);
    expect(variant.body.invalidParams.map((param) => param.name)).to.deep.equal(['variantId']);
  });

  it('When a path is not valid percent-encoding, then 400 problem+json rather than a server error', async () => {
    const { url } = await productService();

    const answer = await call(url, 'GET', '/api/products/%E0%A4%A');

    expect(answer.status).to.equal(400);
    expect(answer.headers['content-type']).to.match(/^application\/problem\+json/);
  });

  for (const [what, fields, field] of [
    ['its name', { name: 'Remera\u0000lisa' }, 'name'],
    ['an attribute value', { attributes: { material: 'algo\u0000dón' } }, 'attributes.material'],
    ['an attribute name', { attributes: { 'mate\u0000rial': 'algodón' } }, 'attributes.mate\u0000rial'],
    [
      'a variant option',
      {
        variants: [
          { sku: unique('SKU'), options: { talle: 'S\u0000' }, price: { amount: 1, currency: 'ARS' } },
        ],
      },
      'variants.0.options.talle',
    ],
    [
      'a variant option name',
      {
        variants: [
          { sku: unique('SKU'), options: { 'ta\u0000lle': 'S' }, price: { amount: 1, currency: 'ARS' } },
        ],
      },
      'variants.0.options.ta\u0000lle',
    ],
  ] as const) {
    it(`When ${what} holds a NUL character, then 400 naming the field, and nothing is written`, async () => {
      const { url, db } = await productService();
      const slug = unique('nul');

      const valid = {
        name: 'Remera lisa',
        slug,
        variants: [{ sku: unique('SKU'), price: { amount: 1, currency: 'ARS' } }],
      };

      const answer = await call<ProblemBody>(url, 'POST', '/api/products', {
        token: adminToken(),
        body: { ...valid, ...fields },
      });

      expect(answer.status).to.equal(400);
      expect(answer.body.invalidParams).to.deep.equal([
        { in: 'body', name: field, reason: 'must not contain control characters' },
      ]);
      expect(await countRows(db, 'products', { slug })).to.equal(0);
    });
  }

  it('When a slug looks like a UUID, sent or made from the name, then 400 naming slug; an id would shadow it', async () => {
    const { url, db } = await productService();
    const product = await givenProduct(url);
    const uuidShaped = randomUUID();
    const variants = [{ sku: unique('SKU'), price: { amount: 1, currency: 'ARS' } }];

    const sent = await call<ProblemBody>(url, 'POST', '/api/products', {
      token: adminToken(),
      body: { name: 'Remera', slug: uuidShaped, variants },
    });
    const fromName = await call<ProblemBody>(url, 'POST', '/api/products', {
      token: adminToken(),
      body: { name: uuidShaped.toUpperCase(), variants },
    });
    const renamed = await call<ProblemBody>(url, 'PATCH', `/api/products/${product.id}`, {
      token: adminToken(),
      body: { slug: uuidShaped },
    });

    expect([sent.status, fromName.status, renamed.status]).to.deep.equal([400, 400, 400]);
    for (const answer of [sent, fromName, renamed]) {
      expect(answer.body.invalidParams.map((param) => param.name)).to.deep.equal(['slug']);
    }
    expect(await countRows(db, 'products', { slug: uuidShaped })).to.equal(0);
  });

  it('When ids are sent in upper case, then they name the same product, variant and categories', async () => {
    const { url } = await productService();
    const category = await givenCategory(url);
    const product = await givenProduct(url);
    const variantId = product.variants[0]!.id;

    const moved = await call<Product>(url, 'PATCH', `/api/products/${product.id.toUpperCase()}`, {
      token: adminToken(),
      body: { categoryIds: [category.id.toUpperCase()] },
    });
    const repeated = await call<ProblemBody>(url, 'PATCH', `/api/products/${product.id}`, {
      token: adminToken(),
      body: { categoryIds: [category.id, category.id.toUpperCase()] },
    });
    const adjusted = await call<Variant>(
      url,
      'POST',
      `/api/products/${product.id.toUpperCase()}/variants/${variantId.toUpperCase()}/stock-adjustments`,
      { token: adminToken(), body: { delta: 1 } },
    );

    expect(moved.status).to.equal(200);
    expect(moved.body.categories.map((c) => c.id)).to.deep.equal([category.id]);
    expect(repeated.status).to.equal(400);
    expect(repeated.body.invalidParams.map((param) => param.name)).to.deep.equal(['categoryIds']);
    expect(adjusted.status).to.equal(200);
    expect(adjusted.body).to.include({ id: variantId, onHand: 6 });
  });

  it('When nobody is signed in, then admin routes answer 401; a customer gets 403', async () => {
    const { url } = await productService();
    const product = await givenProduct(url);
    const body = { name: 'X', variants: [{ sku: unique('SKU'), price: { amount: 1, currency: 'ARS' } }] };

    const anonymous = await Promise.all([
      call(url, 'POST', '/api/products', { body }),
      call(url, 'PATCH', `/api/products/${product.id}`, { body: { name: 'X' } }),
      call(url, 'POST', `/api/products/${product.id}/archive`),
      call(url, 'GET', '/api/products?status=draft'),
    ]);
    const customer = await Promise.all([
      call(url, 'POST', '/api/products', { body, token: customerToken() }),
      call(url, 'PATCH', `/api/products/${product.id}`, { body: { name: 'X' }, token: customerToken() }),
      call(url, 'POST', `/api/products/${product.id}/archive`, { token: customerToken() }),
      call(url, 'GET', '/api/products?status=draft', { token: customerToken() }),
    ]);

    expect(anonymous.map((answer) => answer.status)).to.deep.equal([401, 401, 401, 401]);
    expect(customer.map((answer) => answer.status)).to.deep.equal([403, 403, 403, 403]);
    expect((await call<Product>(url, 'GET', `/api/products/${product.id}`)).body.status).to.equal('active');
  });

  it('When a visitor sends a broken token to a public route, then 401 rather than a silent anonymous answer', async () => {
    const { url } = await productService();

    const answer = await call(url, 'GET', '/api/products', { token: 'not-a-jwt' });

    expect(answer.status).to.equal(401);
  });
});
