import { createHmac, generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  HttpClient,
  createTokenVerifier,
  signAccessToken,
} from '@escalable/shop-sdk/internal';
import { call, countRows, registerShopper, userService, visitorAddress } from './harness.js';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('Access and refresh tokens', () => {
  it('When a refresh token is used, then a new pair comes back and the old one is spent', async () => {
    const { url } = await userService();
    const shopper = await registerShopper(url);

    const refreshed = await call<{ accessToken: string; refreshToken: string }>(
      url,
      'POST',
      '/api/auth/refresh',
      {
        body: { refreshToken: shopper.refreshToken },
      },
    );

    expect(refreshed.status).to.equal(200);
    expect(refreshed.body.refreshToken).to.not.equal(shopper.refreshToken);
    expect((await call(url, 'GET', '/api/users/me', { token: refreshed.body.accessToken })).status).to.equal(
      200,
    );
  });

  it('When a spent refresh token is presented again, then 401 and the whole family is revoked', async () => {
    const { url } = await userService();
    const shopper = await registerShopper(url);
    const rotated = await call<{ refreshToken: string }>(url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: shopper.refreshToken },
    });

    const replay = await call(url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: shopper.refreshToken },
    });
    const legitimate = await call(url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: rotated.body.refreshToken },
    });

    expect(replay.status).to.equal(401);
    expect(replay.body.detail).to.match(/already used/);
    expect(legitimate.status).to.equal(401);
  });

  it('When two refreshes race with one token, then exactly one wins', async () => {
    const { url } = await userService();
    const shopper = await registerShopper(url);

    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        call(url, 'POST', '/api/auth/refresh', { body: { refreshToken: shopper.refreshToken } }),
      ),
    );

    expect(answers.filter((answer) => answer.status === 200)).to.have.length(1);
    expect(answers.filter((answer) => answer.status === 401)).to.have.length(2);
  });

  it('When the user logs out, then the refresh token and its family stop working', async () => {
    const { url, db } = await userService();
    const shopper = await registerShopper(url);

    const logout = await call(url, 'POST', '/api/auth/logout', {
      body: { refreshToken: shopper.refreshToken },
    });
    const refresh = await call(url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: shopper.refreshToken },
    });

    expect(logout.status).to.equal(204);
    expect(refresh.status).to.equal(401);
    expect(
      await countRows(db, 'session_families', 'user_id = $id AND revoked_at IS NULL', { id: shopper.id }),
    ).to.equal(0);
  });

  it('When register, login and refresh answer tokens, then each says Cache-Control: no-store', async () => {
    const { url } = await userService();
    const email = `cache-${Date.now()}@example.test`;
    const password = 'correct horse battery';

    const registered = await call(url, 'POST', '/api/auth/register', {
      body: { email, password, name: 'Ana' },
      headers: { 'x-forwarded-for': visitorAddress() },
    });
    const login = await call<{ tokens: { refreshToken: string } }>(url, 'POST', '/api/auth/login', {
      body: { email, password },
    });
    const refreshed = await call(url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: login.body.tokens.refreshToken },
    });

    expect([registered.status, login.status, refreshed.status]).to.deep.equal([201, 200, 200]);
    for (const answer of [registered, login, refreshed]) {
      expect(answer.headers['cache-control']).to.equal('no-store');
    }
  });

  it('When refresh tokens are stored, then only their SHA-256 hash is kept', async () => {
    const { url, db } = await userService();
    const shopper = await registerShopper(url);

    const [rows] = await db.sequelize.query('SELECT token_hash FROM refresh_tokens WHERE user_id = :id', {
      replacements: { id: shopper.id },
    });

    expect(rows).to.have.length(1);
    expect(JSON.stringify(rows)).to.not.include(shopper.refreshToken);
  });

  describe('a protected route refuses', () => {
    const claims = { email: 'x@example.test', roles: ['customer'], permissions: ['profile:read'] };

    it('When the access token has expired, then 401 says so', async () => {
      const { url, keys } = await userService();
      const shopper = await registerShopper(url);
      const expired = jwt.sign(
        { ...claims, exp: Math.floor(Date.now() / 1000) - 60 },
        keys.current.privateKey,
        {
          algorithm: 'RS256',
          keyid: keys.current.kid,
          subject: shopper.id,
          issuer: ACCESS_TOKEN_ISSUER,
          audience: ACCESS_TOKEN_AUDIENCE,
        },
      );

      const answer = await call(url, 'GET', '/api/users/me', { token: expired });

      expect(answer.status).to.equal(401);
      expect(answer.body.detail).to.match(/expired/);
    });

    it('When the token is signed by another key, then 401', async () => {
      const { url, keys } = await userService();
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const forged = signAccessToken(
        { sub: 'x', ...claims } as never,
        { privateKey, kid: keys.current.kid },
        300,
      );

      const answer = await call(url, 'GET', '/api/users/me', { token: forged });

      expect(answer.status).to.equal(401);
    });

    it('When the token says alg none, then 401', async () => {
      const { url } = await userService();
      const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({
        sub: 'x',
        ...claims,
        iss: ACCESS_TOKEN_ISSUER,
        aud: ACCESS_TOKEN_AUDIENCE,
      })}.`;

      const answer = await call(url, 'GET', '/api/users/me', { token: unsigned });

      expect(answer.status).to.equal(401);
    });

    it('When the token is HS256-signed with the public key as secret, then 401', async () => {
      const { url, keys } = await userService();
      const publicPem = keys.publicKeys.get(keys.current.kid)!;
      const header = base64url({ alg: 'HS256', typ: 'JWT', kid: keys.current.kid });
      const payload = base64url({
        sub: 'x',
        ...claims,
        iss: ACCESS_TOKEN_ISSUER,
        aud: ACCESS_TOKEN_AUDIENCE,
        exp: Math.floor(Date.now() / 1000) + 300,
      });
      const signature = createHmac('sha256', publicPem).update(`${header}.${payload}`).digest('base64url');

      const answer = await call(url, 'GET', '/api/users/me', { token: `${header}.${payload}.${signature}` });

      expect(answer.status).to.equal(401);
    });

    it('When a valid token is tampered with to add admin, then 401', async () => {
      const { url } = await userService();
      const shopper = await registerShopper(url);
      const [header, payload, signature] = shopper.accessToken.split('.');
      const claimsIn = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      const tampered = `${header}.${base64url({
        ...claimsIn,
        roles: ['admin'],
        permissions: ['users:read'],
      })}.${signature}`;

      const answer = await call(url, 'GET', '/api/users', { token: tampered });

      expect(answer.status).to.equal(401);
    });

    it('When no token is sent, then 401 with WWW-Authenticate', async () => {
      const { url } = await userService();

      const answer = await call(url, 'GET', '/api/users/me');

      expect(answer.status).to.equal(401);
      expect(answer.headers['www-authenticate']).to.equal('Bearer');
    });
  });

  it('When another service reads the JWKS, then it verifies the tokens this service signs', async () => {
    const { url } = await userService();
    const shopper = await registerShopper(url);
    const verify = createTokenVerifier({
      jwks: { client: new HttpClient({ name: 'user-service', baseUrl: url }) },
    });

    const claims = await verify(shopper.accessToken);

    expect(claims).to.include({ sub: shopper.id, email: shopper.email });
    expect(claims.permissions).to.include('profile:read');
  });
});
