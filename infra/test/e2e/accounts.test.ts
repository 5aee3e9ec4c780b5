import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { request } from 'undici';
import { keyIdOf, signAccessToken, type AccessClaims } from '@escalable/shop-sdk/internal';
import { failureOf, newEmail, signedInAdmin, signedUpShopper, visitor } from './clients.js';
import { adminCredentials, gatewayUrl, stackSecrets } from './stack.js';

async function userCount(): Promise<number> {
  return (await (await signedInAdmin()).users.list({ limit: 1 })).total;
}

async function post(path: string, body: string) {
  const response = await request(`${gatewayUrl()}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  return {
    status: response.statusCode,
    type: response.headers['content-type'],
    problem: (await response.body.json()) as { invalidParams?: Array<{ name: string }> },
  };
}

describe('Accounts through the gateway', () => {
  it('When a shopper signs up, then they sign in, refresh, edit their profile and sign out', async () => {
    const shop = visitor();
    const email = newEmail();

    const registered = await shop.auth.register({ email, password: 'correct horse battery', name: 'Ana' });
    const signedIn = await shop.auth.login({ email: email.toUpperCase(), password: 'correct horse battery' });
    const refreshed = await shop.auth.refresh(signedIn.tokens.refreshToken);
    const updated = await shop.users.updateMe({
      phone: '+5491122334455',
      shippingAddresses: [
        {
          recipient: 'Ana',
          line1: 'Av. Corrientes 1234',
          city: 'CABA',
          postalCode: 'C1043',
          country: 'AR',
          isDefault: true,
        },
      ],
    });
    await shop.auth.logout(refreshed.refreshToken);
    const afterLogout = await failureOf(shop.auth.refresh(refreshed.refreshToken));

    expect(registered.user.roles).to.deep.equal(['customer']);
    expect(signedIn.user.id).to.equal(registered.user.id);
    expect(updated.phone).to.equal('+5491122334455');
    expect(updated.shippingAddresses[0]).to.include({ city: 'CABA', isDefault: true });
    expect(afterLogout.status).to.equal(401);
  });

  it('When the admin signs in, then they list users and grant the admin role', async () => {
    const admin = await signedInAdmin();
    const { user } = await visitor().auth.register({
      email: newEmail(),
      password: 'correct horse battery',
      name: 'Luis',
    });

    const promoted = await admin.users.setRoles(user.id, ['customer', 'admin']);
    const page = await admin.users.list({ search: user.email });

    expect(promoted.roles).to.deep.equal(['admin', 'customer']);
    expect(page.items.map((item) => item.id)).to.deep.equal([user.id]);
  });

  it('When a customer calls an admin route, then 403', async () => {
    const shopper = await signedUpShopper('Eva');

    const failure = await failureOf(shopper.users.list());

    expect(failure.status).to.equal(403);
  });

  describe('bad requests get problem+json and write nothing', () => {
    it('When the JSON is malformed, fields are missing or the body is 2 MB, then 400, 400 and 413', async () => {
      const before = await userCount();

      const malformed = await post('/api/auth/register', '{"email": "x@example.test",');
      const missing = await post('/api/auth/register', JSON.stringify({ email: newEmail() }));
      const huge = await post(
        '/api/auth/register',
        JSON.stringify({ email: newEmail(), password: 'p'.repeat(12), name: 'x'.repeat(2_000_000) }),
      );

      expect([malformed.status, missing.status, huge.status]).to.deep.equal([400, 400, 413]);
      for (const answer of [malformed, missing, huge])
        expect(answer.type).to.match(/^application\/problem\+json/);
      expect(missing.problem.invalidParams?.map((param) => param.name)).to.include.members([
        'password',
        'name',
      ]);
      expect(await userCount()).to.equal(before);
    });

    it('When the password is wrong, then 401', async () => {
      const failure = await failureOf(
        visitor().auth.login({ email: adminCredentials().email, password: 'not-the-password' }),
      );

      expect(failure.status).to.equal(401);
      expect(failure.detail).to.match(/e-mail or the password is wrong/);
    });

    it('When the access token is expired, forged or alg=none, then 401', async () => {
      const admin = await signedInAdmin();
      const [header, payload, signature] = admin.tokens!.accessToken.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as AccessClaims;
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const { jwtPrivateKey } = await stackSecrets();
      const tokens = {
        // Signed with the stack's real key, so only the expiry is wrong.
        expired: signAccessToken(
          { sub: claims.sub, email: claims.email, roles: claims.roles, permissions: claims.permissions },
          { privateKey: jwtPrivateKey, kid: keyIdOf(jwtPrivateKey) },
          -60,
        ),
        forged: `${header}.${encode({ ...claims, sub: randomUUID() })}.${signature}`,
        algNone: `${encode({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      };

      for (const [name, token] of Object.entries(tokens)) {
        const response = await request(`${gatewayUrl()}/api/users/me`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const problem = (await response.body.json()) as { status: number; detail: string };
        expect(response.statusCode, name).to.equal(401);
        expect(response.headers['content-type'], name).to.match(/^application\/problem\+json/);
        expect(problem.status, name).to.equal(401);
        if (name === 'expired') expect(problem.detail).to.match(/expired/i);
      }
    });
  });
});
