import { expect } from 'chai';
import type { Express } from 'express';
import { localStorageTokens, memoryTokenStorage, Problem, ShopClient, type TokenPair } from '../src/index.js';
import { startStandIn } from '../src/testing/index.js';

const pair = (n: number): TokenPair => ({
  tokenType: 'Bearer',
  accessToken: `access-${n}`,
  expiresIn: 900,
  refreshToken: `refresh-${n}`,
  refreshExpiresIn: 86_400,
});
const unauthorized = (detail: string) => ({
  type: 'https://escalable.shop/problems/unauthorized',
  title: 'Authentication is required',
  status: 401,
  detail,
});

/**
 * user-service as the client sees it through the gateway: access-2 is the only live access token, and
 * refresh-1 may be spent once (a second use is reuse, which revokes the sign-in).
 */
async function startShop(options: { refreshRefused?: boolean; slowMs?: number } = {}) {
  const spent = new Set<string>();
  return startStandIn((app: Express) => {
    app.post('/api/auth/refresh', async (req, res) => {
      const { refreshToken } = req.body as { refreshToken: string };
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (options.refreshRefused || refreshToken !== 'refresh-1' || spent.has(refreshToken)) {
        res
          .status(401)
          .type('application/problem+json')
          .json(unauthorized('The refresh token was already used'));
        return;
      }
      spent.add(refreshToken);
      res.json(pair(2));
    });
    app.get('/api/users/me', (req, res) => {
      if (req.headers.authorization !== 'Bearer access-2')
        res.status(401).type('application/problem+json').json(unauthorized('The access token has expired'));
      else res.json({ id: 'u-1', name: 'Ana' });
    });
    app.get('/api/products', (_req, res) => {
      setTimeout(() => res.json({ items: [], nextCursor: null }), options.slowMs ?? 0);
    });
  });
}

const refreshCalls = (shop: Awaited<ReturnType<typeof startShop>>) =>
  shop.received.filter((request) => request.path === '/api/auth/refresh');

describe('ShopClient session', () => {
  it('When 10 calls at once meet an expired access token, then one refresh serves them all and all 10 succeed', async () => {
    const shop = await startShop();
    try {
      const storage = memoryTokenStorage();
      await storage.set({ tokens: pair(1) });
      const client = new ShopClient({ baseUrl: shop.url, tokenStorage: storage });

      const profiles = await Promise.all(Array.from({ length: 10 }, () => client.users.me()));

      expect(profiles.map((profile) => profile.name)).to.deep.equal(Array(10).fill('Ana'));
      expect(refreshCalls(shop)).to.have.length(1);
      expect((await storage.get())?.tokens?.accessToken).to.equal('access-2');
    } finally {
      await shop.close();
    }
  });

  it('When the refresh is refused, then the client signs out, clears its storage and the caller gets the 401 Problem', async () => {
    const shop = await startShop({ refreshRefused: true });
    try {
      const storage = memoryTokenStorage();
      await storage.set({ tokens: pair(1), guestCartToken: 'g'.repeat(43) });
      const signedOut: Problem[] = [];
      const client = new ShopClient({
        baseUrl: shop.url,
        tokenStorage: storage,
        onSignedOut: (reason) => signedOut.push(reason),
      });

      const failures = await Promise.all(
        Array.from({ length: 3 }, () => client.users.me().catch((error: unknown) => error)),
      );

      for (const failure of failures) {
        expect(failure).to.be.instanceOf(Problem);
        expect((failure as Problem).status).to.equal(401);
      }
      expect(refreshCalls(shop)).to.have.length(1);
      expect(signedOut).to.have.length(1);
      expect(client.tokens).to.equal(undefined);
      expect(await storage.get()).to.equal(undefined);
    } finally {
      await shop.close();
    }
  });

  it('When the caller aborts a call, then it rejects with an AbortError and is not sent again', async () => {
    const shop = await startShop({ slowMs: 2_000 });
    try {
      const client = new ShopClient({ baseUrl: shop.url });
      const controller = new AbortController();

      const pending = client.products
        .list({}, { signal: controller.signal })
        .catch((error: unknown) => error);
      setTimeout(() => controller.abort(), 50);
      const failure = await pending;

      expect((failure as Error).name).to.equal('AbortError');
      expect(shop.received.filter((request) => request.path === '/api/products')).to.have.length(1);
    } finally {
      await shop.close();
    }
  });

  it('When the shop does not answer within the timeout, then the call fails with a Problem naming the timeout', async () => {
    const shop = await startShop({ slowMs: 2_000 });
    try {
      const client = new ShopClient({ baseUrl: shop.url, timeoutMs: 100 });

      const started = Date.now();
      const failure = await client.products.list().catch((error: unknown) => error);

      expect(failure).to.be.instanceOf(Problem);
      expect((failure as Problem).slug).to.equal('timeout');
      expect((failure as Problem).detail).to.contain('100 ms');
      expect(Date.now() - started).to.be.below(1_000);
    } finally {
      await shop.close();
    }
  });

  it('When a page reloads with localStorage tokens, then the new client is still signed in', async () => {
    const shop = await startShop();
    try {
      const saved = new Map<string, string>();
      const webStorage = {
        getItem: (key: string) => saved.get(key) ?? null,
        setItem: (key: string, value: string) => void saved.set(key, value),
        removeItem: (key: string) => void saved.delete(key),
      };
      const signedIn = new ShopClient({
        baseUrl: shop.url,
        tokenStorage: localStorageTokens('shop', webStorage),
      });
      signedIn.tokens = pair(2);
      await signedIn.restored();

      const reloaded = new ShopClient({
        baseUrl: shop.url,
        tokenStorage: localStorageTokens('shop', webStorage),
      });
      const profile = await reloaded.users.me();

      expect(profile.name).to.equal('Ana');
      expect(refreshCalls(shop)).to.have.length(0);
    } finally {
      await shop.close();
    }
  });

  it('When the app sets the guest cart token before the stored session is read, then the stored sign-in is kept', async () => {
    const storage = memoryTokenStorage();
    await storage.set({ tokens: pair(2) });
    const client = new ShopClient({ baseUrl: 'http://127.0.0.1:9', tokenStorage: storage });

    client.cart.guestToken = 'g'.repeat(43);
    await client.restored();

    expect(client.tokens?.accessToken).to.equal('access-2');
    expect(await storage.get()).to.deep.equal({ tokens: pair(2), guestCartToken: 'g'.repeat(43) });
  });
});
