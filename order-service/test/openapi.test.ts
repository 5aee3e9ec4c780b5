import { expect } from 'chai';
import { createLogger, openApiFindings } from '@escalable/shop-sdk/server';
import { buildApp, buildDependencies } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { ORDER_API } from '../src/routes/openapi.js';
import { call, orderService, SERVICE_SECRET, signingKey } from './harness.js';

interface Parameter {
  name: string;
  in: string;
  required: boolean;
}

describe('The OpenAPI document of the public routes', () => {
  it('When an app reads /openapi.json, then it lists exactly the public routes and its examples pass their schemas', async () => {
    const { url, db, cart, catalog, payments, users, notifications } = await orderService();
    const logger = createLogger('order-service', 'silent');
    const config = readConfig({
      DATABASE_URL: 'postgres://walked-only@127.0.0.1/unused',
      SERVICE_SECRET,
      JWT_PUBLIC_KEY: signingKey.publicKeyPem,
      CART_SERVICE_URL: cart.url,
      PRODUCT_SERVICE_URL: catalog.url,
      PAYMENT_SERVICE_URL: payments.url,
      USER_SERVICE_URL: users.url,
      NOTIFICATION_SERVICE_URL: notifications.url,
    });
    // The same app the service runs, built here so its router can be walked.
    const app = buildApp({ config, db, logger, deps: buildDependencies(config, logger) });

    const answer = await call(url, 'GET', '/openapi.json');

    expect(answer.status).to.equal(200);
    expect(openApiFindings(app, answer.body, ORDER_API)).to.deep.equal([]);
  });

  it('When an app reads the checkout route, then it learns Idempotency-Key is required', async () => {
    const { url } = await orderService();

    const answer = await call(url, 'GET', '/openapi.json');

    const { paths } = answer.body as { paths: Record<string, Record<string, { parameters: Parameter[] }>> };
    const checkout = paths['/api/orders']!.post!.parameters.map(({ name, in: where, required }) => ({
      name,
      in: where,
      required,
    }));
    expect(checkout).to.deep.equal([{ name: 'Idempotency-Key', in: 'header', required: true }]);
  });
});
