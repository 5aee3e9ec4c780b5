import { expect } from 'chai';
import { createLogger, openApiFindings } from '@escalable/shop-sdk/server';
import { buildApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { CART_API } from '../src/routes/openapi.js';
import { call, cartService, SERVICE_SECRET, signingKey } from './harness.js';

interface Parameter {
  name: string;
  in: string;
  required: boolean;
}

describe('The OpenAPI document of the public routes', () => {
  it('When an app reads /openapi.json, then it lists exactly the public routes and its examples pass their schemas', async () => {
    const { url, db, catalog } = await cartService();
    // The same app the service runs, built here so its router can be walked.
    const app = buildApp({
      config: readConfig({
        DATABASE_URL: 'postgres://walked-only@127.0.0.1/unused',
        SERVICE_SECRET,
        JWT_PUBLIC_KEY: signingKey.publicKeyPem,
        PRODUCT_SERVICE_URL: catalog.url,
      }),
      db,
      logger: createLogger('cart-service', 'silent'),
    });

    const answer = await call(url, 'GET', '/openapi.json');

    expect(answer.status).to.equal(200);
    expect(openApiFindings(app, answer.body, CART_API)).to.deep.equal([]);
  });

  it('When a guest app reads the merge route, then it learns the cart token header is required there', async () => {
    const { url } = await cartService();

    const answer = await call(url, 'GET', '/openapi.json');

    const { paths } = answer.body as { paths: Record<string, Record<string, { parameters: Parameter[] }>> };
    const merge = paths['/api/cart/merge']!.post!.parameters.map(({ name, in: where, required }) => ({
      name,
      in: where,
      required,
    }));
    expect(merge).to.deep.include({ name: 'X-Cart-Token', in: 'header', required: true });
  });
});
