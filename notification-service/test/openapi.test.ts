import { expect } from 'chai';
import { openApiFindings } from '@escalable/shop-sdk/server';
import { NOTIFICATION_API } from '../src/routes/openapi.js';
import { call, notificationService } from './harness.js';

describe('The OpenAPI document of the public routes', () => {
  it('When an app reads /openapi.json, then it lists exactly the public routes and its examples pass their schemas', async () => {
    const { url, app } = await notificationService();

    const answer = await call(url, 'GET', '/openapi.json');

    expect(answer.status).to.equal(200);
    expect(openApiFindings(app, answer.body, NOTIFICATION_API)).to.deep.equal([]);
  });
});
