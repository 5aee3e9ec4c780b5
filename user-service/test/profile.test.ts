import { expect } from 'chai';
import { call, countRows, registerShopper, userService } from './harness.js';

const home = {
  recipient: 'Ana Shopper',
  line1: 'Av. Corrientes 1234',
  city: 'Buenos Aires',
  postalCode: 'C1043',
  country: 'AR',
};
const work = { ...home, label: 'Work', line1: 'Florida 100', isDefault: true };

describe('/api/users/me', () => {
  it('When a customer updates name, phone and addresses, then the profile reads them back', async () => {
    const { url } = await userService();
    const shopper = await registerShopper(url);

    const answer = await call<{
      name: string;
      phone: string;
      shippingAddresses: Array<Record<string, unknown>>;
    }>(url, 'PATCH', '/api/users/me', {
      token: shopper.accessToken,
      body: { name: 'Ana María', phone: '+5491155556666', shippingAddresses: [home, work] },
    });
    const readBack = await call<typeof answer.body>(url, 'GET', '/api/users/me', {
      token: shopper.accessToken,
    });

    expect(answer.status).to.equal(200);
    expect(readBack.body).to.deep.equal(answer.body);
    expect(readBack.body).to.include({ name: 'Ana María', phone: '+5491155556666' });
    expect(
      readBack.body.shippingAddresses.map((address) => [address.line1, address.isDefault]),
    ).to.deep.equal([
      ['Av. Corrientes 1234', false],
      ['Florida 100', true],
    ]);
  });

  it('When no address is marked default, then the first one is', async () => {
    const { url } = await userService();
    const shopper = await registerShopper(url);

    const answer = await call<{ shippingAddresses: Array<{ isDefault: boolean }> }>(
      url,
      'PATCH',
      '/api/users/me',
      {
        token: shopper.accessToken,
        body: { shippingAddresses: [home, { ...home, line1: 'Otra 1' }] },
      },
    );

    expect(answer.body.shippingAddresses.map((address) => address.isDefault)).to.deep.equal([true, false]);
  });

  it('When an update is invalid, then 400 and the profile stays as it was', async () => {
    const { url, db } = await userService();
    const shopper = await registerShopper(url);
    await call(url, 'PATCH', '/api/users/me', {
      token: shopper.accessToken,
      body: { shippingAddresses: [home] },
    });

    const badCountry = await call(url, 'PATCH', '/api/users/me', {
      token: shopper.accessToken,
      body: { name: 'Changed', shippingAddresses: [{ ...home, country: 'Argentina' }] },
    });
    const twoDefaults = await call(url, 'PATCH', '/api/users/me', {
      token: shopper.accessToken,
      body: { name: 'Changed', shippingAddresses: [work, work] },
    });
    const empty = await call(url, 'PATCH', '/api/users/me', { token: shopper.accessToken, body: {} });
    const roleGrab = await call(url, 'PATCH', '/api/users/me', {
      token: shopper.accessToken,
      body: { roles: ['admin'] },
    });

    expect([badCountry.status, twoDefaults.status, empty.status, roleGrab.status]).to.deep.equal([
      400, 400, 400, 400,
    ]);
    const me = await call<{ name: string; roles: string[] }>(url, 'GET', '/api/users/me', {
      token: shopper.accessToken,
    });
    expect(me.body.name).to.equal('Ana Shopper');
    expect(me.body.roles).to.deep.equal(['customer']);
    expect(await countRows(db, 'shipping_addresses', { user_id: shopper.id })).to.equal(1);
  });

  it('When an address is in ZZ, a code no country holds, then 400 names its country and nothing is stored', async () => {
    const { url, db } = await userService();
    const shopper = await registerShopper(url);
    await call(url, 'PATCH', '/api/users/me', {
      token: shopper.accessToken,
      body: { shippingAddresses: [home] },
    });

    const answer = await call<{ invalidParams: Array<{ name: string }> }>(url, 'PATCH', '/api/users/me', {
      token: shopper.accessToken,
      body: { name: 'Changed', shippingAddresses: [{ ...home, country: 'ZZ' }] },
    });

    expect(answer.status).to.equal(400);
    expect(answer.body.invalidParams.map((param) => param.name)).to.deep.equal([
      'shippingAddresses.0.country',
    ]);
    const me = await call<{ name: string; shippingAddresses: Array<{ country: string }> }>(
      url,
      'GET',
      '/api/users/me',
      { token: shopper.accessToken },
    );
    expect(me.body.name).to.equal('Ana Shopper');
    expect(me.body.shippingAddresses.map((address) => address.country)).to.deep.equal(['AR']);
    expect(await countRows(db, 'shipping_addresses', { user_id: shopper.id, country: 'ZZ' })).to.equal(0);
  });

  describe('POST /api/users/me/password', () => {
    it('When the current password is right, then the new one signs in, the old does not, and sessions end', async () => {
      const { url } = await userService();
      const shopper = await registerShopper(url);

      const change = await call(url, 'POST', '/api/users/me/password', {
        token: shopper.accessToken,
        body: { currentPassword: shopper.password, newPassword: 'a brand new passphrase' },
      });

      expect(change.status).to.equal(204);
      const oldLogin = await call(url, 'POST', '/api/auth/login', {
        body: { email: shopper.email, password: shopper.password },
      });
      const newLogin = await call(url, 'POST', '/api/auth/login', {
        body: { email: shopper.email, password: 'a brand new passphrase' },
      });
      const oldRefresh = await call(url, 'POST', '/api/auth/refresh', {
        body: { refreshToken: shopper.refreshToken },
      });
      expect([oldLogin.status, newLogin.status, oldRefresh.status]).to.deep.equal([401, 200, 401]);
    });

    it('When the current password is wrong, then 403 and the password is unchanged', async () => {
      const { url } = await userService();
      const shopper = await registerShopper(url);

      const change = await call(url, 'POST', '/api/users/me/password', {
        token: shopper.accessToken,
        body: { currentPassword: 'not my password', newPassword: 'a brand new passphrase' },
      });

      expect(change.status).to.equal(403);
      expect(change.body.type).to.match(/wrong-password$/);
      const login = await call(url, 'POST', '/api/auth/login', {
        body: { email: shopper.email, password: shopper.password },
      });
      expect(login.status).to.equal(200);
    });

    it('When the new password is too short, then 400', async () => {
      const { url } = await userService();
      const shopper = await registerShopper(url);

      const change = await call(url, 'POST', '/api/users/me/password', {
        token: shopper.accessToken,
        body: { currentPassword: shopper.password, newPassword: 'short' },
      });

      expect(change.status).to.equal(400);
    });
  });
});
