import { expect } from 'chai';
import { Problem, ProductsApi, type Product, type StockLedger } from '@escalable/shop-sdk';
import { HttpClient } from '@escalable/shop-sdk/internal';
import {
  adminToken,
  call,
  countRows,
  customerToken,
  expectStock,
  givenCategory,
  productService,
} from './harness.js';
import { ndjson, postImport, productLine, runPrefix } from './catalog-import-harness.js';

const byPrefix = 'slug LIKE $prefix';
const variantsByPrefix = 'sku LIKE $prefix';
const like = (prefix: string) => ({ prefix: `${prefix}%` });
const adminProducts = (url: string) =>
  new ProductsApi(
    new HttpClient({
      name: 'product-service',
      baseUrl: url,
      headers: () => ({ authorization: `Bearer ${adminToken()}` }),
    }),
  );

describe('Catalog import: creating and updating by SKU', () => {
  it('When an admin imports NDJSON, then the products read back whole, with their categories and an initial ledger', async () => {
    const { url, db } = await productService();
    const [ropa, remeras] = [await givenCategory(url), await givenCategory(url)];
    const prefix = runPrefix('nd');
    const file = ndjson([
      productLine(prefix, 1, { categories: [ropa.slug, remeras.slug], attributes: { material: 'algodón' } }),
      productLine(prefix, 2, { images: ['https://cdn.example.test/2.jpg'] }),
    ]);

    const answer = await postImport(url, `${file}\n\n`);
    const readBack = await call<Product>(url, 'GET', `/api/products/${prefix}-remera-1`);

    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.equal({
      products: { created: 2, updated: 0, unchanged: 0 },
      variants: { created: 6, updated: 0 },
      lines: 2,
    });
    expect(readBack.body).to.include({ name: `${prefix} remera 1`, status: 'active', currency: 'ARS' });
    expect(readBack.body.attributes).to.deep.equal({ material: 'algodón' });
    expect(readBack.body.categories.map((c) => c.slug).sort()).to.deep.equal(
      [ropa.slug, remeras.slug].sort(),
    );
    expect(
      readBack.body.variants.map((v) => [v.sku, v.options.talle, v.price.amount, v.available]),
    ).to.deep.equal([
      [`${prefix}-1-S`, 'S', 1299900, 10],
      [`${prefix}-1-M`, 'M', 1300000, 11],
      [`${prefix}-1-L`, 'L', 1300100, 12],
    ]);
    await expectStock(db, readBack.body.variants[2]!.id, { onHand: 12, reserved: 0 });
  });

  it('When the same file is imported again, then nothing changes: 0 created, counts and stock as they were', async () => {
    const { url, db } = await productService();
    const prefix = runPrefix('again');
    const file = ndjson([productLine(prefix, 1), productLine(prefix, 2), productLine(prefix, 3)]);
    await postImport(url, file);
    const before = {
      products: await countRows(db, 'products', byPrefix, like(prefix)),
      variants: await countRows(db, 'variants', variantsByPrefix, like(prefix)),
      movements: await countRows(
        db,
        'stock_movements',
        `variant_id IN (SELECT id FROM variants WHERE ${variantsByPrefix})`,
        like(prefix),
      ),
    };

    const answer = await postImport(url, file);
    const product = await call<Product>(url, 'GET', `/api/products/${prefix}-remera-3`, {
      token: adminToken(),
    });

    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.equal({
      products: { created: 0, updated: 0, unchanged: 3 },
      variants: { created: 0, updated: 0 },
      lines: 3,
    });
    expect(before).to.deep.equal({ products: 3, variants: 9, movements: 9 });
    expect(await countRows(db, 'products', byPrefix, like(prefix))).to.equal(before.products);
    expect(await countRows(db, 'variants', variantsByPrefix, like(prefix))).to.equal(before.variants);
    expect(
      await countRows(
        db,
        'stock_movements',
        `variant_id IN (SELECT id FROM variants WHERE ${variantsByPrefix})`,
        like(prefix),
      ),
    ).to.equal(before.movements);
    expect(product.body.variants.map((v) => v.onHand)).to.deep.equal([10, 11, 12]);
  });

  it('When a file changes a price, the stock and adds a SKU, then that product is updated and the ledger still sums to the stock', async () => {
    const { url, db } = await productService();
    const prefix = runPrefix('upd');
    const original = productLine(prefix, 1);
    await postImport(url, ndjson([original, productLine(prefix, 2)]));
    const changed = {
      ...original,
      name: `${prefix} remera nueva`,
      variants: [
        { ...original.variants[0]!, price: { amount: 999900, currency: 'ARS' } },
        { ...original.variants[1]!, stock: 3 },
        original.variants[2]!,
        {
          sku: `${prefix}-1-XL`,
          options: { talle: 'XL' },
          price: { amount: 1400000, currency: 'ARS' },
          stock: 4,
        },
      ],
    };

    const answer = await postImport(url, ndjson([changed, productLine(prefix, 2)]));
    const product = await call<Product>(url, 'GET', `/api/products/${original.slug}`, {
      token: adminToken(),
    });
    const ledger = await call<StockLedger>(
      url,
      'GET',
      `/api/products/${product.body.id}/variants/${product.body.variants[1]!.id}/stock-movements`,
      { token: adminToken() },
    );

    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.equal({
      products: { created: 0, updated: 1, unchanged: 1 },
      variants: { created: 1, updated: 2 },
      lines: 2,
    });
    expect(product.body.name).to.equal(`${prefix} remera nueva`);
    expect(product.body.variants.map((v) => [v.sku, v.price.amount, v.onHand])).to.deep.equal([
      [`${prefix}-1-S`, 999900, 10],
      [`${prefix}-1-M`, 1300000, 3],
      [`${prefix}-1-L`, 1300100, 12],
      [`${prefix}-1-XL`, 1400000, 4],
    ]);
    expect(ledger.body.movements.items[0]).to.include({
      reason: 'adjustment',
      deltaOnHand: -8,
      note: 'import',
    });
    for (const variant of product.body.variants) await expectStock(db, variant.id, { reserved: 0 });
  });

  it('When stock would fall below what orders reserved, then 422 names the stock field and nothing changes', async () => {
    const { url, db, internal } = await productService();
    const prefix = runPrefix('held');
    const line = productLine(prefix, 1);
    await postImport(url, ndjson([line]));
    const product = await call<Product>(url, 'GET', `/api/products/${line.slug}`);
    await internal.reserve(runPrefix('order'), [{ variantId: product.body.variants[0]!.id, quantity: 6 }]);
    const lowered = { ...line, variants: [{ ...line.variants[0]!, stock: 5 }, ...line.variants.slice(1)] };

    const answer = await postImport(url, ndjson([lowered]));

    expect(answer.status).to.equal(422);
    expect(answer.body.errors).to.deep.equal([
      { line: 1, field: 'variants[0].stock', detail: 'must be at least 6, the units reserved for orders' },
    ]);
    await expectStock(db, product.body.variants[0]!.id, { onHand: 10, reserved: 6 });
  });

  it('When the same file is imported twice at once, then one creates the products and the other finds them unchanged', async () => {
    const { url, db } = await productService();
    const prefix = runPrefix('race');
    const file = ndjson(Array.from({ length: 50 }, (_, index) => productLine(prefix, index)));

    const answers = await Promise.all([postImport(url, file), postImport(url, file)]);

    const outcomes = answers.map((answer) =>
      answer.status === 200
        ? `200 created ${answer.body.products.created}`
        : `${answer.status} ${answer.body.type}`,
    );
    expect(outcomes.sort()).to.deep.equal(['200 created 0', '200 created 50']);
    expect(await countRows(db, 'products', byPrefix, like(prefix))).to.equal(50);
    expect(await countRows(db, 'variants', 'sku LIKE $prefix', like(prefix))).to.equal(150);
  });

  it("When the kit's client sends a dry run, then it gets the counts and nothing is written", async () => {
    const { url, db } = await productService();
    const prefix = runPrefix('dry');

    const report = await adminProducts(url).importCatalog(ndjson([productLine(prefix, 1)]), {
      format: 'ndjson',
      dryRun: true,
    });

    expect(report).to.deep.equal({
      products: { created: 1, updated: 0, unchanged: 0 },
      variants: { created: 3, updated: 0 },
      lines: 1,
    });
    expect(await countRows(db, 'products', byPrefix, like(prefix))).to.equal(0);
  });

  it("When the kit's client sends a CSV with a fault, then it throws the 422 Problem with the faults by line", async () => {
    const { url } = await productService();
    const file = `slug,name,sku,price_amount,currency\n${runPrefix('kit')},Gorra,,100,ARS`;

    const refusal = await adminProducts(url)
      .importCatalog(file, { format: 'csv' })
      .catch((error: unknown) => error);

    expect(refusal).to.be.instanceOf(Problem);
    expect((refusal as Problem).status).to.equal(422);
    expect((refusal as Problem).extensions).to.include({ errorCount: 1 });
    expect((refusal as Problem).extensions.errors).to.deep.equal([
      { line: 2, field: 'sku', detail: 'Invalid input: expected string, received undefined' },
    ]);
  });

  it('When the file is over 16 MB, then 413 naming the limit of this route', async () => {
    const { url } = await productService();

    const answer = await postImport(url, 'x'.repeat(17 * 1024 * 1024));

    expect(answer.status).to.equal(413);
    expect(answer.body.detail).to.equal('The body exceeds the limit of 16mb');
  });

  it('When the body is JSON or plain text, then 415 naming the accepted types', async () => {
    const { url } = await productService();
    const line = ndjson([productLine(runPrefix('type'), 1)]);

    const asJson = await postImport(url, line, { contentType: 'application/json' });
    const asText = await postImport(url, line, { contentType: 'text/plain' });

    expect([asJson.status, asText.status]).to.deep.equal([415, 415]);
    expect(asJson.body.detail).to.equal('Send the catalog as application/x-ndjson or text/csv');
    expect(asJson.headers['content-type']).to.match(/^application\/problem\+json/);
  });

  it('When a customer imports, then 403; without a token, 401; and nothing is written', async () => {
    const { url, db } = await productService();
    const prefix = runPrefix('auth');
    const file = ndjson([productLine(prefix, 1)]);

    const asCustomer = await postImport(url, file, { token: customerToken() });
    const anonymous = await postImport(url, file, { token: null });

    expect([asCustomer.status, anonymous.status]).to.deep.equal([403, 401]);
    expect(await countRows(db, 'products', byPrefix, like(prefix))).to.equal(0);
  });
});
