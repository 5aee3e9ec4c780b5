import { expect } from 'chai';
import { openApiFindings } from '@escalable/shop-sdk/server';
import { documentedParameters } from '@escalable/shop-sdk/testing';
import { ORDER_API } from '../src/routes/openapi.js';
import { call, orderService } from './harness.js';

describe('The OpenAPI document of the public routes', () => {
  it('When an app reads /openapi.json, then it lists exactly the public routes and its examples pass their schemas', async () => {
    const { url, app } = await orderService();

    const answer = await call(url, 'GET', '/openapi.json');

    expect(answer.status).to.equal(200);
    expect(openApiFindings(app, answer.body, ORDER_API)).to.deep.equal([]);
  });

  it('When an app reads the checkout route, then it learns Idempotency-Key is required', async () => {
    const { url } = await orderService();

    const answer = await call(url, 'GET', '/openapi.json');

    expect(documentedParameters(answer.body, 'post', '/api/orders')).to.deep.equal([
      { name: 'Idempotency-Key', in: 'header', required: true },
    ]);
  });
});
