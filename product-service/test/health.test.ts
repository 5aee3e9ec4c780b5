import { expect } from 'chai';
import { call, productService } from './harness.js';

describe('Health, readiness, metrics and problem answers', () => {
  it('When the database is reachable, then /healthz and /readyz answer 200', async () => {
    const { url } = await productService();

    const [health, ready] = await Promise.all([call(url, 'GET', '/healthz'), call(url, 'GET', '/readyz')]);

    expect([health.status, ready.status]).to.deep.equal([200, 200]);
  });

  it('When Prometheus scrapes /metrics, then request durations are labelled by route pattern, not by id', async () => {
    const { url } = await productService();
    await call(url, 'GET', '/api/products/6f1c1d3e-2f7b-4c55-9a3c-1d2e3f4a5b6c');

    const response = await fetch(`${url}/metrics`);
    const text = await response.text();

    expect(text).to.match(
      /http_request_duration_seconds_count\{[^}]*route="\/api\/products\/:idOrSlug",status="404"/,
    );
    expect(text).to.include('service="product-service"');
  });

  it('When a route does not exist, then 404 problem+json with the request id', async () => {
    const { url } = await productService();

    const answer = await call(url, 'GET', '/api/nothing-here');

    expect(answer.status).to.equal(404);
    expect(answer.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(answer.body.requestId).to.equal(answer.headers['x-request-id']);
  });
});
