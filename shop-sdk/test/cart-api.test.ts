import { expect } from 'chai';
import type { Express } from 'express';
import { Problem, ShopClient } from '../src/index.js';
import { startStandIn } from '../src/testing/index.js';

const GUEST_TOKEN = 'g'.repeat(43);
const emptyCart = {
  currency: null,
  lines: [],
  itemCount: 0,
  subtotal: null,
  pricing: 'live',
  updatedAt: null,
};
const problem = (status: number, type: string) => ({ type, title: type, status });

/** The gateway as the cart client sees it, with cart-service's answers to merge chosen by the test. */
async function startShop(
  merge: { status: number; body: object } = { status: 200, body: { ...emptyCart, merge: { capped: [] } } },
) {
  return startStandIn((app: Express) => {
    app.post('/api/auth/login', (_req, res) => {
      res.json({
        user: { id: 'u-1' },
        tokens: { accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 900 },
      });
    });
    app.post('/api/cart/items', (req, res) => {
      if (req.headers['x-cart-token'] || req.headers.authorization) res.json(emptyCart);
      else
        res
          .status(201)
          .set('X-Cart-Token', GUEST_TOKEN)
          .json({ ...emptyCart, cartToken: GUEST_TOKEN });
    });
    app.get('/api/cart', (req, res) => {
      if (req.headers['x-cart-token'] === 'expired-token')
        res
          .status(404)
          .type('application/problem+json')
          .json(problem(404, 'https://escalable.shop/problems/cart-not-found'));
      else res.json(emptyCart);
    });
    app.post('/api/cart/merge', (_req, res) => {
      res
        .status(merge.status)
        .type(merge.status === 200 ? 'application/json' : 'application/problem+json')
        .json(merge.body);
    });
  });
}

const mergeCalls = (shop: Awaited<ReturnType<typeof startShop>>) =>
  shop.received.filter((request) => request.path === '/api/cart/merge');

describe('ShopClient cart', () => {
  it("When a guest's first add returns a cart token, then the client keeps it and sends it on the next cart calls", async () => {
    const shop = await startShop();
    try {
      const client = new ShopClient({ baseUrl: shop.url });

      await client.cart.addItem({ variantId: 'v-1', quantity: 1 });
      await client.cart.get();

      expect(client.cart.guestToken).to.equal(GUEST_TOKEN);
      expect(shop.received.map((request) => request.headers['x-cart-token'])).to.deep.equal([
        undefined,
        GUEST_TOKEN,
      ]);
    } finally {
      await shop.close();
    }
  });

  it('When a guest holding a cart token signs in, then the client merges with both credentials and forgets the token', async () => {
    const shop = await startShop();
    try {
      const client = new ShopClient({ baseUrl: shop.url });
      await client.cart.addItem({ variantId: 'v-1', quantity: 1 });

      await client.auth.login({ email: 'ana@example.test', password: 'correct horse battery' });

      const [merge] = mergeCalls(shop);
      expect(merge?.headers).to.include({ authorization: 'Bearer access-1', 'x-cart-token': GUEST_TOKEN });
      expect(client.cart.guestToken).to.equal(undefined);
      expect(client.cart.lastMerge?.merge).to.deep.equal({ capped: [] });
    } finally {
      await shop.close();
    }
  });

  it('When a signed-out client holds no cart token, then signing in merges nothing', async () => {
    const shop = await startShop();
    try {
      const client = new ShopClient({ baseUrl: shop.url });

      await client.auth.login({ email: 'ana@example.test', password: 'correct horse battery' });

      expect(mergeCalls(shop)).to.deep.equal([]);
    } finally {
      await shop.close();
    }
  });

  it('When the merge after sign-in fails because cart-service is down, then the sign-in still succeeds and the token is kept for a later merge', async () => {
    const shop = await startShop({ status: 503, body: problem(503, 'upstream-unavailable') });
    try {
      const client = new ShopClient({ baseUrl: shop.url });
      await client.cart.addItem({ variantId: 'v-1', quantity: 1 });

      const session = await client.auth.login({
        email: 'ana@example.test',
        password: 'correct horse battery',
      });

      expect(session.tokens.accessToken).to.equal('access-1');
      expect(mergeCalls(shop)).to.have.length(1);
      expect(client.cart.guestToken).to.equal(GUEST_TOKEN);
    } finally {
      await shop.close();
    }
  });

  it('When the service answers that the guest cart is gone, then the client forgets its token', async () => {
    const shop = await startShop();
    try {
      const client = new ShopClient({ baseUrl: shop.url });
      client.cart.guestToken = 'expired-token';

      const failure = await client.cart.get().catch((error: unknown) => error);

      expect(failure).to.be.instanceOf(Problem);
      expect((failure as Problem).slug).to.equal('cart-not-found');
      expect(client.cart.guestToken).to.equal(undefined);
    } finally {
      await shop.close();
    }
  });
});
