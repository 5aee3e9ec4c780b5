import { expect } from 'chai';
import { countRows, expectStock, productService } from './harness.js';
import { ndjson, postImport, productLine, runPrefix } from './catalog-import-harness.js';

describe('Catalog import: a full file', function () {
  this.timeout(180_000);

  it('When 10 000 products with 3 variants each are imported, then all are written, and the same file again changes nothing', async () => {
    const { url, db } = await productService();
    const prefix = runPrefix('bulk');
    const file = ndjson(Array.from({ length: 10_000 }, (_, index) => productLine(prefix, index)));

    const started = performance.now();
    const first = await postImport(url, file);
    const firstMs = Math.round(performance.now() - started);
    const restarted = performance.now();
    const second = await postImport(url, file);
    const secondMs = Math.round(performance.now() - restarted);
    console.log(
      `      import of 10 000 products × 3 variants (${(file.length / 1e6).toFixed(1)} MB): ${firstMs} ms; the same file again: ${secondMs} ms`,
    );

    expect(first.status, JSON.stringify(first.body).slice(0, 500)).to.equal(200);
    expect(first.body.products).to.deep.equal({ created: 10_000, updated: 0, unchanged: 0 });
    expect(first.body.variants).to.deep.equal({ created: 30_000, updated: 0 });
    expect(second.body.products).to.deep.equal({ created: 0, updated: 0, unchanged: 10_000 });
    expect(await countRows(db, 'variants', 'sku LIKE $prefix', { prefix: `${prefix}%` })).to.equal(30_000);
    const [last] = (await db.sequelize.query('SELECT id FROM variants WHERE sku = $sku', {
      bind: { sku: `${prefix}-9999-L` },
    })) as [Array<{ id: string }>, unknown];
    await expectStock(db, last[0]!.id, { onHand: 12, reserved: 0 });
  });
});
