import { ShopClient } from '@escalable/shop-sdk';
import { expect } from 'chai';
import { request } from 'undici';
import { adminCredentials, e2eStack, gatewayUrl, killInstance } from './stack.js';

/** A public GET per service: an answer below 500 proves nginx reached one of its instances. */
const PROBES: Record<string, string> = {
  'user-service': '/api/users/me',
  'product-service': '/api/products',
  'cart-service': '/api/cart',
  'order-service': '/api/orders',
  'payment-service': '/api/payments',
  'notification-service': '/api/notifications',
};

async function get(path: string) {
  const res = await request(`${gatewayUrl()}${path}`);
  const text = await res.body.text();
  return { status: res.statusCode, type: res.headers['content-type'], text };
}

function problemOf(res: { type: unknown; text: string }): Record<string, unknown> {
  expect(res.type).to.match(/^application\/problem\+json/);
  return JSON.parse(res.text) as Record<string, unknown>;
}

describe('dev stack: the gateway in front of the services', () => {
  const running = () => [...new Set(e2eStack().instances.map((instance) => instance.service.name))];

  it('answers its own /healthz', async () => {
    const res = await get('/healthz');
    expect(res.status).to.equal(200);
    expect(JSON.parse(res.text)).to.deep.equal({ status: 'ok' });
  });

  it('reaches user-service: /api/users/me without a token is its 401 problem', async () => {
    const res = await get('/api/users/me');
    expect(res.status).to.equal(401);
    expect(problemOf(res)).to.include({ status: 401 });
  });

  it('reaches every running service', async () => {
    for (const service of running()) {
      const probe = PROBES[service];
      expect(probe, `a probe for ${service}`).to.be.a('string');
      expect((await get(probe!)).status, `${service} through ${probe}`).to.be.below(500);
    }
  });

  it("does not expose /internal/* nor the services' /metrics", async () => {
    for (const path of ['/internal/users/1', '/internal/', '/metrics']) {
      const res = await get(path);
      expect(res.status, path).to.equal(404);
      expect(problemOf(res)).to.include({ status: 404 });
    }
  });

  // Leaves user-service#2 dead for the rest of the run: #1 still serves.
  it('keeps answering from the other user-service instance when one dies', async () => {
    await killInstance('user-service#2');
    for (let i = 0; i < 20; i++) {
      const res = await get('/api/users/me');
      expect(res.status, `request ${i + 1}`).to.equal(401);
      expect(problemOf(res)).to.include({ status: 401 });
    }
    // A refused connection means the POST never reached #2, so nginx may hand it to #1.
    const shop = new ShopClient({ baseUrl: gatewayUrl() });
    for (let i = 0; i < 4; i++) {
      const session = await shop.auth.login(adminCredentials());
      expect(session.user.roles).to.include('admin');
    }
  });
});
