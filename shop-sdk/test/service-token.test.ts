import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { serviceTokenSigner } from '../src/internal.js';
import { callerOf, requireServiceCaller } from '../src/server/index.js';
import { call, type ListeningServer } from '../src/testing/index.js';
import { serveTinyApp } from './tiny-app.js';

const SECRET = 'a-shared-secret-of-at-least-32-characters';
const now = () => Math.floor(Date.now() / 1000);

function tokenWith(payload: Record<string, unknown>, options: jwt.SignOptions = {}): string {
  return jwt.sign(payload, SECRET, { algorithm: 'HS256', audience: 'escalable/internal', ...options });
}

describe('Service tokens on /internal routes', () => {
  let server: ListeningServer;
  before(async () => {
    server = await serveTinyApp((app) => {
      app.get('/internal/whoami', requireServiceCaller(SECRET), (req, res) => {
        res.json({ caller: callerOf(req) });
      });
    });
  });
  after(() => server.close());

  const statusWith = async (token: string) =>
    (await call(server.url, 'GET', '/internal/whoami', { token })).status;

  it('When a shop service presents its signed token, then the route sees its name', async () => {
    const answer = await call(server.url, 'GET', '/internal/whoami', {
      token: serviceTokenSigner('order-service', SECRET)(),
    });

    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.equal({ caller: 'order-service' });
  });

  it('When the token has no expiry, then 401', async () => {
    expect(await statusWith(tokenWith({ iss: 'order-service' }))).to.equal(401);
  });

  it('When the token expires in 2100, or lives longer than 10 minutes, then 401', async () => {
    const in2100 = tokenWith({ iss: 'order-service', exp: Date.UTC(2100, 0, 1) / 1000 });
    const forAnHour = tokenWith({ iss: 'order-service' }, { expiresIn: 3600 });
    const backdated = tokenWith({ iss: 'order-service', iat: now() - 3000, exp: now() + 60 });

    expect([
      await statusWith(in2100),
      await statusWith(forAnHour),
      await statusWith(backdated),
    ]).to.deep.equal([401, 401, 401]);
  });

  it('When the issuer is an object, an unknown service or 113 characters long, then 401', async () => {
    const statuses = await Promise.all(
      [{ name: 'order-service' }, 'evil-service', 'o'.repeat(113)].map((iss) =>
        statusWith(tokenWith({ iss }, { expiresIn: 300 })),
      ),
    );

    expect(statuses).to.deep.equal([401, 401, 401]);
  });

  it('When every shop service signs a five-minute token, then each one passes', async () => {
    const names = [
      'user-service',
      'product-service',
      'cart-service',
      'order-service',
      'payment-service',
      'notification-service',
    ];

    const statuses = await Promise.all(names.map((name) => statusWith(serviceTokenSigner(name, SECRET)())));

    expect(statuses).to.deep.equal(names.map(() => 200));
  });
});
