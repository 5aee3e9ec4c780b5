import { expect } from 'chai';
import { openApiFindings } from '@escalable/shop-sdk/server';
import { PRODUCT_API } from '../src/routes/openapi.js';
import { call, productService } from './harness.js';

interface Parameter {
  name: string;
  in: string;
  schema: { pattern?: string; enum?: string[] };
}

describe('The OpenAPI document of the public routes', () => {
  it('When an app reads /openapi.json, then it lists exactly the public routes and its examples pass their schemas', async () => {
    const { url, app } = await productService();

    const answer = await call(url, 'GET', '/openapi.json');

    expect(answer.status).to.equal(200);
    expect(openApiFindings(app, answer.body, PRODUCT_API)).to.deep.equal([]);
  });

  it('When a client reads the listing, then its query parameters are the ones the route checks', async () => {
    const { url } = await productService();

    const answer = await call(url, 'GET', '/openapi.json');

    const { paths } = answer.body as { paths: Record<string, Record<string, { parameters: Parameter[] }>> };
    const parameters = paths['/api/products']!.get!.parameters;
    expect(parameters.map((parameter) => parameter.name)).to.include.members(['limit', 'q', 'sort', 'after']);
    expect(parameters.find((parameter) => parameter.name === 'sort')!.schema.enum).to.include('relevance');
    expect(Object.keys(paths['/api/products/import']!.post!)).to.include('requestBody');
  });
});
