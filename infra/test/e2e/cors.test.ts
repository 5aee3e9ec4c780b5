import { expect } from 'chai';
import { request } from 'undici';
import { adminCredentials, gatewayUrl } from './stack.js';

// What a storefront on a dev server (Vite's port) goes through in the browser, through the dev stack.
const PAGE = 'http://localhost:5173';

describe('e2e: CORS through the dev stack', () => {
  it('When a page on a localhost dev server signs in, then the preflight and the answer each grant its origin once', async () => {
    const preflight = await request(`${gatewayUrl()}/api/auth/login`, {
      method: 'OPTIONS',
      headers: {
        origin: PAGE,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    await preflight.body.dump();
    const login = await request(`${gatewayUrl()}/api/auth/login`, {
      method: 'POST',
      headers: { origin: PAGE, 'content-type': 'application/json' },
      body: JSON.stringify(adminCredentials()),
    });
    const session = (await login.body.json()) as { tokens?: unknown };

    expect(preflight.statusCode).to.equal(204);
    expect(preflight.headers['access-control-allow-origin']).to.equal(PAGE);
    expect(preflight.headers['access-control-allow-methods']).to.include('POST');
    expect(login.statusCode).to.equal(200);
    expect(session.tokens).to.be.an('object');
    // A second Allow-Origin (a service adding its own) would make the browser refuse the answer.
    expect(login.headers['access-control-allow-origin']).to.equal(PAGE);
    expect(login.headers['access-control-expose-headers']).to.include('X-Request-Id');
  });

  it("When a page on another site calls the shop, then its preflight and the service's answer grant nothing", async () => {
    const from = 'https://copycat-shop.example';

    const preflight = await request(`${gatewayUrl()}/api/products`, {
      method: 'OPTIONS',
      headers: { origin: from, 'access-control-request-method': 'GET' },
    });
    await preflight.body.dump();
    const listing = await request(`${gatewayUrl()}/api/products?limit=1`, { headers: { origin: from } });
    await listing.body.dump();

    expect(preflight.statusCode).to.equal(204);
    expect(listing.statusCode).to.equal(200);
    for (const answer of [preflight, listing]) {
      expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).to.deep.equal(
        [],
      );
    }
  });
});
