import { expect } from 'chai';
import { adminToken, call, notificationService } from './harness.js';

describe('Health, readiness and metrics', () => {
  it('When the database is reachable, then /healthz and /readyz answer 200', async () => {
    const { url } = await notificationService();

    const [health, ready] = await Promise.all([call(url, 'GET', '/healthz'), call(url, 'GET', '/readyz')]);

    expect([health.status, ready.status]).to.deep.equal([200, 200]);
  });

  it('When Prometheus scrapes /metrics, then retry routes are labelled by pattern, not by delivery id', async () => {
    const { url } = await notificationService();
    await call(url, 'POST', '/api/notifications/deliveries/6f1c1d3e-2f7b-4c55-9a3c-1d2e3f4a5b6c/retry', {
      token: adminToken(),
    });

    const text = (await call<string>(url, 'GET', '/metrics')).body;

    expect(text).to.match(
      /http_request_duration_seconds_count\{[^}]*route="\/api\/notifications\/deliveries\/:id\/retry",status="404"/,
    );
  });
});
