import { expect } from 'chai';
import type { Product } from '@escalable/shop-sdk';
import { call, countRows, givenProduct, productService } from './harness.js';
import { ndjson, postImport, productLine, runPrefix } from './catalog-import-harness.js';

const byPrefix = 'slug LIKE $prefix';
const like = (prefix: string) => ({ prefix: `${prefix}%` });
const CSV_HEADER = 'slug,name,description,status,categories,sku,options,price_amount,currency,stock';

describe('Catalog import: a file with a fault is refused whole', () => {
  it('When one line among 1 000 has a negative price, then 422 names its line and field, and nothing is written', async () => {
    const { url, db } = await productService();
    const prefix = runPrefix('bad');
    const lines = Array.from({ length: 1000 }, (_, index) => productLine(prefix, index));
    lines[536]!.variants[1]!.price.amount = -5;

    const answer = await postImport(url, ndjson(lines));

    expect(answer.status).to.equal(422);
    expect(answer.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(answer.body.type).to.match(/invalid-import$/);
    expect(answer.body.errorCount).to.equal(1);
    expect(answer.body.errors).to.have.length(1);
    expect(answer.body.errors[0]).to.include({ line: 537, field: 'variants[1].price.amount' });
    expect(await countRows(db, 'products', byPrefix, like(prefix))).to.equal(0);
    expect(await countRows(db, 'variants', 'sku LIKE $prefix', like(prefix))).to.equal(0);
  });

  it('When a line names a category slug that does not exist, then 422 names categories[i]', async () => {
    const { url, db } = await productService();
    const prefix = runPrefix('cat');

    const answer = await postImport(
      url,
      ndjson([productLine(prefix, 1, { categories: ['no-such-category'] })]),
    );

    expect(answer.status).to.equal(422);
    expect(answer.body.errors).to.deep.equal([
      { line: 1, field: 'categories[0]', detail: 'names no category: no-such-category' },
    ]);
    expect(await countRows(db, 'products', byPrefix, like(prefix))).to.equal(0);
  });

  it('When a SKU appears twice in a file (in another letter case), then 422 names its second place', async () => {
    const { url } = await productService();
    const prefix = runPrefix('dup');
    const second = productLine(prefix, 2);
    second.variants[2]!.sku = `${prefix}-1-m`.toUpperCase();

    const answer = await postImport(url, ndjson([productLine(prefix, 1), second]));

    expect(answer.status).to.equal(422);
    expect(answer.body.errors).to.deep.equal([
      { line: 2, field: 'variants[2].sku', detail: `${second.variants[2]!.sku} is also on line 1` },
    ]);
  });

  it('When a line holds SKUs of two existing products, then 422 names that line', async () => {
    const { url, db } = await productService();
    const [first, other] = [await givenProduct(url), await givenProduct(url)];
    const prefix = runPrefix('two');
    const line = productLine(prefix, 1);
    line.variants[0]!.sku = first.variants[0]!.sku;
    line.variants[1]!.sku = other.variants[0]!.sku;

    const answer = await postImport(url, ndjson([line]));
    const untouched = await call<Product>(url, 'GET', `/api/products/${first.id}`);

    expect(answer.status).to.equal(422);
    expect(answer.body.errors).to.have.length(1);
    expect(answer.body.errors[0]).to.include({ line: 1, field: 'variants' });
    expect(answer.body.errors[0]!.detail).to.match(/^holds SKUs of 2 different products/);
    expect(untouched.body.name).to.equal(first.name);
    expect(await countRows(db, 'products', byPrefix, like(prefix))).to.equal(0);
  });

  it('When a new product takes the slug of another product, then 422 names the slug, not 500', async () => {
    const { url } = await productService();
    const existing = await givenProduct(url);
    const line = productLine(runPrefix('slug'), 1, { slug: existing.slug });

    const answer = await postImport(url, ndjson([line]));

    expect(answer.status).to.equal(422);
    expect(answer.body.errors).to.deep.equal([
      { line: 1, field: 'slug', detail: `${existing.slug} is taken by another product` },
    ]);
  });

  it('When lines are not JSON, carry unknown fields or a NUL, then each is named, line by line (a byte order mark is no fault)', async () => {
    const { url } = await productService();
    const prefix = runPrefix('junk');
    const file = [
      `\uFEFF${JSON.stringify(productLine(prefix, 1))}`,
      '{"name": ',
      JSON.stringify({ ...productLine(prefix, 3), colour: 'red' }),
      JSON.stringify(productLine(prefix, 4, { name: 'nul\u0000name' })),
    ].join('\n');

    const answer = await postImport(url, file);

    expect(answer.status).to.equal(422);
    expect(answer.body.errorCount).to.equal(3);
    expect(answer.body.errors.map((error) => [error.line, error.field])).to.deep.equal([
      [2, '(line)'],
      [3, 'colour'],
      [4, 'name'],
    ]);
  });

  it('When a file holds 10 001 products, then 413 before any is checked', async () => {
    const { url } = await productService();
    const line = JSON.stringify(productLine(runPrefix('many'), 1));

    const answer = await postImport(url, Array.from({ length: 10_001 }, () => line).join('\n'));

    expect(answer.status).to.equal(413);
    expect(answer.body.detail).to.equal('An import holds at most 10000 products; this one holds 10001');
  });
});

describe('Catalog import: CSV', () => {
  it('When an admin imports CSV with quoted commas, then rows with one slug become one product with its variants', async () => {
    const { url } = await productService();
    const prefix = runPrefix('csv');
    const file = [
      CSV_HEADER,
      `${prefix}-a,"Remera, básica",Algodón,active,,${prefix}-A-M,talle=M|color=negro,1299900,ARS,25`,
      `${prefix}-a,ignored on later rows,,,,${prefix}-A-L,"talle=L|color=negro, mate",1399900,ARS,5`,
      `${prefix}-b,Buzo,,draft,,${prefix}-B-U,,2500000,ARS,`,
    ].join('\r\n');

    const answer = await postImport(url, file, { contentType: 'text/csv; charset=utf-8' });
    const again = await postImport(url, file, { contentType: 'text/csv' });
    const product = await call<Product>(url, 'GET', `/api/products/${prefix}-a`);

    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.equal({
      products: { created: 2, updated: 0, unchanged: 0 },
      variants: { created: 3, updated: 0 },
      lines: 3,
    });
    expect(again.body.products).to.deep.equal({ created: 0, updated: 0, unchanged: 2 });
    expect(product.body).to.include({ name: 'Remera, básica', description: 'Algodón' });
    expect(product.body.variants.map((v) => [v.sku, v.options, v.price.amount, v.available])).to.deep.equal([
      [`${prefix}-A-M`, { talle: 'M', color: 'negro' }, 1299900, 25],
      [`${prefix}-A-L`, { talle: 'L', color: 'negro, mate' }, 1399900, 5],
    ]);
  });

  it('When a CSV row lacks a column or has a bad price, then 422 names its line and column', async () => {
    const { url, db } = await productService();
    const prefix = runPrefix('csvbad');
    const file = [
      CSV_HEADER,
      `${prefix}-a,"Remera, básica",,active,,${prefix}-A-M,talle=M,1299900,ARS,25`,
      `${prefix}-b,Buzo,,active,,${prefix}-B-M,talle=M,1299900,ARS`,
      `${prefix}-c,Gorra,,active,,${prefix}-C-U,,12.50,ARS,1`,
    ].join('\n');

    const answer = await postImport(url, file, { contentType: 'text/csv' });

    expect(answer.status).to.equal(422);
    expect(answer.body.errors.map((error) => [error.line, error.field])).to.deep.equal([
      [3, 'stock'],
      [4, 'price_amount'],
    ]);
    expect(await countRows(db, 'products', byPrefix, like(prefix))).to.equal(0);
  });

  it('When the CSV header repeats a column or lacks a required one, then 422 names them on line 1', async () => {
    const { url } = await productService();

    const answer = await postImport(url, 'slug,name,sku,sku,currency\nx,X,X-1,X-2,ARS', {
      contentType: 'text/csv',
    });

    expect(answer.status).to.equal(422);
    expect(answer.body.errors).to.deep.equal([
      { line: 1, field: 'sku', detail: 'is a repeated column' },
      { line: 1, field: 'price_amount', detail: 'is a missing column' },
    ]);
  });
});
