import { expect } from 'chai';
import { call, cartService } from './harness.js';

describe('Health, readiness, metrics and problem answers', () => {
  it('When the database is reachable, then /healthz and /readyz answer 200', async () => {
    const { url } = await cartService();

    const [health, ready] = await Promise.all([call(url, 'GET', '/healthz'), call(url, 'GET', '/readyz')]);

    expect([health.status, ready.status]).to.deep.equal([200, 200]);
  });

  it('When Prometheus scrapes /metrics, then cart routes are labelled by pattern, not by variant id', async () => {
    const { url } = await cartService();
    await call(url, 'DELETE', '/api/cart/items/6f1c1d3e-2f7b-4c55-9a3c-1d2e3f4a5b6c');

    const text = await (await fetch(`${url}/metrics`)).text();

    expect(text).to.match(
      /http_request_duration_seconds_count\{[^}]*route="\/api\/cart\/items\/:variantId",status="404"/,
    );
    expect(text).to.include('service="cart-service"');
  });
});
