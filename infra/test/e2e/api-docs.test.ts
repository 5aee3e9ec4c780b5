import { expect } from 'chai';
import { gatewayUrl } from './stack.js';

interface Document {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
}

describe('The API description through the gateway', () => {
  it('When an app reads /api/openapi.json, then every service’s public routes are there and nothing internal', async () => {
    const answer = await fetch(`${gatewayUrl()}/api/openapi.json`);

    expect(answer.status).to.equal(200);
    const document = (await answer.json()) as Document;
    expect(document.openapi).to.equal('3.1.0');
    const paths = Object.keys(document.paths);
    for (const prefix of [
      '/api/auth/',
      '/api/users',
      '/api/products',
      '/api/categories',
      '/api/cart',
      '/api/orders',
      '/api/payments/',
      '/api/notifications',
    ]) {
      expect(
        paths.some((path) => path.startsWith(prefix)),
        prefix,
      ).to.equal(true);
    }
    expect(paths.filter((path) => !path.startsWith('/api/'))).to.deep.equal([]);
  });

  it('When a developer opens /api/docs, then the page and its script come from the gateway itself', async () => {
    const page = await fetch(`${gatewayUrl()}/api/docs`);
    const html = await page.text();
    const script = await fetch(`${gatewayUrl()}/api/docs/swagger-ui-bundle.js`);

    expect(page.status).to.equal(200);
    expect(html).to.include('src="/api/docs/swagger-ui-bundle.js"');
    expect(html).to.not.match(/src="https?:/);
    expect(script.status).to.equal(200);
  });
});
