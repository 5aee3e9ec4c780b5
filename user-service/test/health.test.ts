import { expect } from 'chai';
import { call, userService } from './harness.js';

describe('Health, readiness, metrics and request ids', () => {
  it('When the database is reachable, then /healthz and /readyz answer 200', async () => {
    const { url } = await userService();

    const [health, ready] = await Promise.all([call(url, 'GET', '/healthz'), call(url, 'GET', '/readyz')]);

    expect([health.status, ready.status]).to.deep.equal([200, 200]);
  });

  it('When a request carries X-Request-Id, then the answer echoes it; otherwise one is generated', async () => {
    const { url } = await userService();

    const given = await call(url, 'GET', '/api/users/me', { headers: { 'x-request-id': 'req-abc-123' } });
    const generated = await call(url, 'GET', '/api/users/me');

    expect(given.headers['x-request-id']).to.equal('req-abc-123');
    expect(given.body.requestId).to.equal('req-abc-123');
    expect(generated.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
  });

  it('When Prometheus scrapes /metrics, then request durations by route are there', async () => {
    const { url } = await userService();
    await call(url, 'POST', '/api/auth/login', { body: {} });

    const response = await fetch(`${url}/metrics`);
    const text = await response.text();

    expect(text).to.include('http_request_duration_seconds_bucket');
    expect(text).to.match(
      /http_request_duration_seconds_count\{[^}]*route="\/api\/auth\/login",status="400"/,
    );
    expect(text).to.include('service="user-service"');
  });

  it('When a route does not exist, then 404 problem+json', async () => {
    const { url } = await userService();

    const answer = await call(url, 'GET', '/api/nothing-here');

    expect(answer.status).to.equal(404);
    expect(answer.headers['content-type']).to.match(/^application\/problem\+json/);
  });
});
