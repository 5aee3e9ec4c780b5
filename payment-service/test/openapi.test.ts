import { expect } from 'chai';
import { createLogger, openApiFindings } from '@escalable/shop-sdk/server';
import { buildApp, buildDependencies } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { PAYMENT_API } from '../src/routes/openapi.js';
import { ACCESS_TOKEN, call, paymentService, SERVICE_SECRET, signingKey, WEBHOOK_SECRET } from './harness.js';

describe('The OpenAPI document of the public routes', () => {
  it('When an app reads /openapi.json, then it lists exactly the public routes and nothing internal', async () => {
    const { url, db, mercadopago, orders, gateway } = await paymentService();
    const logger = createLogger('payment-service', 'silent');
    const config = readConfig({
      DATABASE_URL: 'postgres://walked-only@127.0.0.1/unused',
      SERVICE_SECRET,
      JWT_PUBLIC_KEY: signingKey.publicKeyPem,
      MERCADOPAGO_ACCESS_TOKEN: ACCESS_TOKEN,
      MERCADOPAGO_WEBHOOK_SECRET: WEBHOOK_SECRET,
      MERCADOPAGO_API_BASE_URL: mercadopago.url,
      PUBLIC_BASE_URL: gateway.url,
      ORDER_SERVICE_URL: orders.url,
    });
    // The same app the service runs, built here so its router can be walked.
    const app = buildApp({ config, db, logger, deps: buildDependencies(config, logger) });

    const answer = await call(url, 'GET', '/openapi.json');

    expect(answer.status).to.equal(200);
    expect(openApiFindings(app, answer.body, PAYMENT_API)).to.deep.equal([]);
  });
});
