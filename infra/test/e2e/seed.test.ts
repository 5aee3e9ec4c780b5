import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { eventually } from '@escalable/shop-sdk/testing';
import { demoProducts } from '../../src/seed/demo-catalog.js';
import { seedDemoCatalog } from '../../src/seed/seed-catalog.js';
import { visitor } from './clients.js';
import { adminCredentials, gatewayUrl } from './stack.js';

describe('e2e: the demo catalog seed', function () {
  this.timeout(180_000);

  it('When the demo catalog is seeded twice, then the second run creates nothing and the shop lists as many products', async () => {
    const shopper = visitor();
    const before = (await shopper.products.list({ limit: 1 })).total;

    const demo = demoProducts();
    const first = await seedDemoCatalog(gatewayUrl(), adminCredentials());
    // The gateway keeps a visitor's listing for a second: what the seed wrote shows within two.
    const afterFirst = await eventually(async () => {
      const { total } = await shopper.products.list({ limit: 1 });
      return total === before + demo.length && total;
    }, 'the shop to list the demo catalog');
    const second = await seedDemoCatalog(gatewayUrl(), adminCredentials());
    await sleep(2_100);
    const afterSecond = (await shopper.products.list({ limit: 1 })).total;

    expect(demo.length).to.be.within(90, 110);
    expect(first.categoriesCreated).to.be.greaterThan(0);
    expect(first.catalog.products.created).to.equal(demo.length);
    expect(afterFirst).to.equal(before + demo.length);
    expect(second.categoriesCreated).to.equal(0);
    expect(second.catalog.products).to.deep.equal({ created: 0, updated: 0, unchanged: demo.length });
    expect(second.catalog.variants.created).to.equal(0);
    expect(afterSecond).to.equal(afterFirst);
  });

  it('When a visitor opens a demo category, then it lists its subcategories’ products in ARS, with stock and English text', async () => {
    const shopper = visitor();

    const ropa = await shopper.categories.get('ropa');
    const page = await shopper.products.list({ category: 'ropa', limit: 100 });

    expect(ropa.children.map((child) => child.slug)).to.have.members([
      'remeras',
      'buzos',
      'pantalones',
      'camperas',
    ]);
    expect(page.total).to.equal(32);
    const remera = page.items.find((product) => product.name === 'Remera clásica');
    expect(remera, 'Remera clásica is listed').to.not.equal(undefined);
    expect(remera!.attributes).to.include({ name_en: 'Classic t-shirt', material: 'algodón' });
    expect(remera!.categories.map((category) => category.slug)).to.deep.equal(['remeras']);
    for (const product of page.items) {
      expect(product.status).to.equal('active');
      expect(product.currency).to.equal('ARS');
      expect(product.attributes.name_en).to.be.a('string');
      expect(product.variants.length).to.be.within(2, 4);
      expect(product.variants.every((variant) => variant.price.amount > 0)).to.equal(true);
    }
    expect(page.items.some((product) => product.variants.some((variant) => variant.available > 0))).to.equal(
      true,
    );
  });
});
