import { expect } from 'chai';
import { adminToken, call, givenCategory, givenProduct, productService, unique } from './harness.js';

describe('Caching of catalog reads', () => {
  for (const [what, path] of [
    ['the listing', () => '/api/products?sort=name'],
    ['a product', (slug: string) => `/api/products/${slug}`],
    ['the category tree', () => '/api/categories'],
  ] as const) {
    it(`When a visitor reads ${what} again with its ETag, then 304, and shared caches may keep it`, async () => {
      const { url } = await productService();
      const product = await givenProduct(url, { name: unique('Cached') });

      const first = await call(url, 'GET', path(product.slug));
      const again = await call(url, 'GET', path(product.slug), {
        headers: { 'if-none-match': String(first.headers.etag) },
      });

      expect(first.status).to.equal(200);
      expect(first.headers['cache-control']).to.equal('public, max-age=30');
      expect(first.headers.vary).to.match(/Authorization/i);
      expect(first.headers.etag).to.be.a('string');
      expect(again.status).to.equal(304);
    });
  }

  it('When staff read the catalog, then their view (drafts, stock) is never stored', async () => {
    const { url } = await productService();
    const category = await givenCategory(url);
    const product = await givenProduct(url, { categoryIds: [category.id], status: 'draft' });

    const drafts = await call(url, 'GET', `/api/products?category=${category.slug}&status=draft`, {
      token: adminToken(),
    });
    const draft = await call(url, 'GET', `/api/products/${product.id}`, { token: adminToken() });

    expect(drafts.status).to.equal(200);
    expect(drafts.headers['cache-control']).to.equal('private, no-store');
    expect(draft.headers['cache-control']).to.equal('private, no-store');
  });

  it('When a product is not found, then the 404 is not marked for shared caches', async () => {
    const { url } = await productService();

    const answer = await call(url, 'GET', `/api/products/${unique('nowhere')}`);

    expect(answer.status).to.equal(404);
    expect(answer.headers['cache-control'] ?? '').not.to.match(/public/);
  });
});
