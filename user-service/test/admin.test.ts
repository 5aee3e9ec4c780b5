import { expect } from 'chai';
import { createLogger } from '@escalable/shop-sdk/server';
import { ensureAdmin } from '../src/domain/admin-bootstrap.js';
import { ADMIN, call, countRows, registerShopper, userService } from './harness.js';

async function adminToken(url: string): Promise<string> {
  const answer = await call<{ tokens: { accessToken: string } }>(url, 'POST', '/api/auth/login', {
    body: ADMIN,
  });
  return answer.body.tokens.accessToken;
}

describe('User administration', () => {
  it('When the service starts with ADMIN_EMAIL, then that admin can sign in with admin permissions', async () => {
    const { url } = await userService();

    const answer = await call<{ user: { roles: string[]; permissions: string[] } }>(
      url,
      'POST',
      '/api/auth/login',
      { body: ADMIN },
    );

    expect(answer.status).to.equal(200);
    expect(answer.body.user.roles).to.deep.equal(['admin', 'customer']);
    expect(answer.body.user.permissions).to.include.members(['users:read', 'users:manage', 'catalog:write']);
  });

  it('When an account already holds the admin e-mail, then start-up does not promote it', async () => {
    const { url, db } = await userService();
    const squatter = await registerShopper(url);

    await ensureAdmin(squatter.email, 'some admin password', createLogger('test', 'silent'));

    expect(await countRows(db, 'user_roles', { user_id: squatter.id, role: 'admin' })).to.equal(0);
  });

  it('When an admin lists users, then pages come with the total and search narrows them', async () => {
    const { url } = await userService();
    const token = await adminToken(url);
    const shopper = await registerShopper(url, { name: 'Zelda Searchable' });

    const firstPage = await call<{ items: unknown[]; total: number; limit: number }>(
      url,
      'GET',
      '/api/users?limit=2',
      { token },
    );
    const found = await call<{ items: Array<{ id: string }>; total: number }>(
      url,
      'GET',
      '/api/users?search=searchable',
      { token },
    );

    expect(firstPage.status).to.equal(200);
    expect(firstPage.body.items).to.have.length(2);
    expect(firstPage.body.total).to.be.greaterThan(2);
    expect(found.body.total).to.equal(1);
    expect(found.body.items[0]!.id).to.equal(shopper.id);
  });

  it('When an admin filters by role, then only its holders come back, each with all their roles', async () => {
    const { url } = await userService();
    const token = await adminToken(url);
    const promoted = await registerShopper(url);
    const customer = await registerShopper(url);
    await call(url, 'PATCH', `/api/users/${promoted.id}/roles`, {
      token,
      body: { roles: ['customer', 'admin'] },
    });
    const admins = (search: string) =>
      call<{ items: Array<{ id: string; roles: string[] }>; total: number }>(
        url,
        'GET',
        `/api/users?role=admin&search=${encodeURIComponent(search)}`,
        { token },
      );

    const found = await admins(promoted.email);
    const notAdmin = await admins(customer.email);

    expect(found.body.items.map((user) => [user.id, user.roles])).to.deep.equal([
      [promoted.id, ['admin', 'customer']],
    ]);
    expect(notAdmin.body.total).to.equal(0);
  });

  it('When a customer calls an admin route, then 403; without a token 401', async () => {
    const { url } = await userService();
    const shopper = await registerShopper(url);

    const asCustomer = await call(url, 'GET', '/api/users', { token: shopper.accessToken });
    const anonymous = await call(url, 'GET', '/api/users');
    const promoteSelf = await call(url, 'PATCH', `/api/users/${shopper.id}/roles`, {
      token: shopper.accessToken,
      body: { roles: ['admin'] },
    });

    expect([asCustomer.status, anonymous.status, promoteSelf.status]).to.deep.equal([403, 401, 403]);
  });

  it('When an admin grants admin, then the user signs in with admin permissions', async () => {
    const { url } = await userService();
    const token = await adminToken(url);
    const shopper = await registerShopper(url);

    const answer = await call<{ roles: string[] }>(url, 'PATCH', `/api/users/${shopper.id}/roles`, {
      token,
      body: { roles: ['customer', 'admin'] },
    });
    const login = await call<{ user: { permissions: string[] } }>(url, 'POST', '/api/auth/login', {
      body: { email: shopper.email, password: shopper.password },
    });

    expect(answer.status).to.equal(200);
    expect(answer.body.roles).to.deep.equal(['admin', 'customer']);
    expect(login.body.user.permissions).to.include('users:manage');
  });

  it('When an admin is demoted, then its earlier tokens can neither administer nor re-promote it, and its refresh token is refused', async () => {
    const { url } = await userService();
    const token = await adminToken(url);
    const deputy = await registerShopper(url);
    await call(url, 'PATCH', `/api/users/${deputy.id}/roles`, {
      token,
      body: { roles: ['customer', 'admin'] },
    });
    const asAdmin = await call<{ tokens: { accessToken: string; refreshToken: string } }>(
      url,
      'POST',
      '/api/auth/login',
      { body: { email: deputy.email, password: deputy.password } },
    );
    const earlier = asAdmin.body.tokens;

    const demotion = await call(url, 'PATCH', `/api/users/${deputy.id}/roles`, {
      token,
      body: { roles: ['customer'] },
    });
    const repromote = await call(url, 'PATCH', `/api/users/${deputy.id}/roles`, {
      token: earlier.accessToken,
      body: { roles: ['customer', 'admin'] },
    });
    const list = await call(url, 'GET', '/api/users', { token: earlier.accessToken });
    const refreshed = await call(url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: earlier.refreshToken },
    });

    expect(demotion.status).to.equal(200);
    expect([repromote.status, list.status, refreshed.status]).to.deep.equal([403, 403, 401]);
    const me = await call<{ roles: string[] }>(url, 'GET', '/api/users/me', { token: earlier.accessToken });
    expect(me.body.roles).to.deep.equal(['customer']);
  });

  it('When a customer is promoted, then its earlier access token administers at once', async () => {
    const { url } = await userService();
    const token = await adminToken(url);
    const shopper = await registerShopper(url);

    await call(url, 'PATCH', `/api/users/${shopper.id}/roles`, {
      token,
      body: { roles: ['customer', 'admin'] },
    });
    const list = await call(url, 'GET', '/api/users?limit=1', { token: shopper.accessToken });

    expect(list.status).to.equal(200);
  });

  it('When the last admin would lose the role, then 409 and the role stays', async () => {
    const { url, db } = await userService();
    const token = await adminToken(url);
    const [rows] = await db.sequelize.query('SELECT id FROM users WHERE email = :email', {
      replacements: { email: ADMIN.email },
    });
    const adminId = (rows as Array<{ id: string }>)[0]!.id;
    const otherAdmins = await countRows(db, 'user_roles', "role = 'admin' AND user_id <> $id", {
      id: adminId,
    });
    if (otherAdmins > 0) {
      await db.sequelize.query("DELETE FROM user_roles WHERE role = 'admin' AND user_id <> :id", {
        replacements: { id: adminId },
      });
    }

    const answer = await call(url, 'PATCH', `/api/users/${adminId}/roles`, {
      token,
      body: { roles: ['customer'] },
    });

    expect(answer.status).to.equal(409);
    expect(answer.body.type).to.match(/last-admin$/);
    expect(await countRows(db, 'user_roles', { role: 'admin' })).to.equal(1);
  });

  it('When the role or id is wrong, then 400; an unknown user 404', async () => {
    const { url } = await userService();
    const token = await adminToken(url);

    const badRole = await call(url, 'PATCH', '/api/users/6f1c1d3e-2f7b-4c55-9a3c-1d2e3f4a5b6c/roles', {
      token,
      body: { roles: ['root'] },
    });
    const badId = await call(url, 'PATCH', '/api/users/42/roles', { token, body: { roles: ['customer'] } });
    const unknown = await call(url, 'PATCH', '/api/users/6f1c1d3e-2f7b-4c55-9a3c-1d2e3f4a5b6c/roles', {
      token,
      body: { roles: ['customer'] },
    });
    const badQuery = await call(url, 'GET', '/api/users?limit=1000', { token });

    expect([badRole.status, badId.status, unknown.status, badQuery.status]).to.deep.equal([
      400, 400, 404, 400,
    ]);
  });

  it('When the user id in the path is not a UUID, then 400 names the parameter id', async () => {
    const { url } = await userService();
    const token = await adminToken(url);

    const answer = await call<{ invalidParams: Array<{ in: string; name: string }> }>(
      url,
      'PATCH',
      '/api/users/42/roles',
      { token, body: { roles: ['customer'] } },
    );

    expect(answer.status).to.equal(400);
    expect(answer.body.invalidParams).to.deep.include({
      in: 'params',
      name: 'id',
      reason: 'must be a user id (UUID)',
    });
  });
});
