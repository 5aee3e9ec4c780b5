import { expect } from 'chai';
import { openApiFindings } from '@escalable/shop-sdk/server';
import { PAYMENT_API } from '../src/routes/openapi.js';
import { call, paymentService } from './harness.js';

describe('The OpenAPI document of the public routes', () => {
  it('When an app reads /openapi.json, then it lists exactly the public routes and nothing internal', async () => {
    const { url, app } = await paymentService();

    const answer = await call(url, 'GET', '/openapi.json');

    expect(answer.status).to.equal(200);
    expect(openApiFindings(app, answer.body, PAYMENT_API)).to.deep.equal([]);
  });
});
