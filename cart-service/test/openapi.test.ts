import { expect } from 'chai';
import { openApiFindings } from '@escalable/shop-sdk/server';
import { documentedParameters } from '@escalable/shop-sdk/testing';
import { CART_API } from '../src/routes/openapi.js';
import { call, cartService } from './harness.js';

describe('The OpenAPI document of the public routes', () => {
  it('When an app reads /openapi.json, then it lists exactly the public routes and its examples pass their schemas', async () => {
    const { url, app } = await cartService();

    const answer = await call(url, 'GET', '/openapi.json');

    expect(answer.status).to.equal(200);
    expect(openApiFindings(app, answer.body, CART_API)).to.deep.equal([]);
  });

  it('When a guest app reads the merge route, then it learns the cart token header is required there', async () => {
    const { url } = await cartService();

    const answer = await call(url, 'GET', '/openapi.json');

    expect(documentedParameters(answer.body, 'post', '/api/cart/merge')).to.deep.include({
      name: 'X-Cart-Token',
      in: 'header',
      required: true,
    });
  });
});
