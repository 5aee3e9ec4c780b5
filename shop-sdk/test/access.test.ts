import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { problems } from '../src/index.js';
import { createTokenVerifier } from '../src/internal.js';
import {
  assertPermission,
  authenticateOptional,
  hasPermission,
  optionalClaimsOf,
} from '../src/server/index.js';
import { call, createTestSigningKey, type ListeningServer } from '../src/testing/index.js';
import { serveTinyApp } from './tiny-app.js';

describe('Optional sign-in and permission checks', () => {
  const key = createTestSigningKey();
  let server: ListeningServer;
  before(async () => {
    const verify = createTokenVerifier({ publicKey: key.publicKeyPem });
    server = await serveTinyApp((app) => {
      app.get('/catalog', authenticateOptional(verify), (req, res) => {
        const claims = optionalClaimsOf(req);
        res.json({ signedIn: claims !== undefined, seesDrafts: hasPermission(claims, 'catalog:write') });
      });
      app.post('/catalog', authenticateOptional(verify), (req, res) => {
        assertPermission(optionalClaimsOf(req), 'catalog:write');
        res.status(201).json({ created: true });
      });
      app.get('/missing', () => {
        throw problems.notFound('The variant a1', { extensions: { missing: ['a1'] } });
      });
      app.post('/password', () => {
        throw problems.forbidden('Send the password this account signs in with', {
          type: 'wrong-password',
          title: 'The current password is wrong',
        });
      });
    });
  });
  after(() => server.close());

  const admin = () => key.tokenFor({ id: randomUUID(), roles: ['customer', 'admin'] });
  const customer = () => key.tokenFor({ id: randomUUID(), roles: ['customer'] });

  it('When no token is sent, then the public route answers anonymously', async () => {
    const answer = await call(server.url, 'GET', '/catalog');

    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.equal({ signedIn: false, seesDrafts: false });
  });

  it('When a valid token is sent, then the route sees the caller and what it may do', async () => {
    const asAdmin = await call(server.url, 'GET', '/catalog', { token: admin() });
    const asCustomer = await call(server.url, 'GET', '/catalog', { token: customer() });

    expect(asAdmin.body).to.deep.equal({ signedIn: true, seesDrafts: true });
    expect(asCustomer.body).to.deep.equal({ signedIn: true, seesDrafts: false });
  });

  it('When a bad token is sent, then 401 even though a token is optional', async () => {
    const answer = await call(server.url, 'GET', '/catalog', { token: 'not-a-jwt' });

    expect(answer.status).to.equal(401);
  });

  it('When the domain asserts a permission, then 401 anonymous, 403 naming it, or it goes on', async () => {
    const statuses = await Promise.all(
      [undefined, customer(), admin()].map((token) =>
        call(server.url, 'POST', '/catalog', { token }).then((answer) => [answer.status, answer.body.detail]),
      ),
    );

    expect(statuses).to.deep.equal([
      [401, 'Send an access token as "Authorization: Bearer <token>"'],
      [403, 'Missing permission: catalog:write'],
      [201, undefined],
    ]);
  });

  it('When a named problem carries extra fields, then the client gets them with its own type and title', async () => {
    const missing = await call(server.url, 'GET', '/missing');
    const password = await call(server.url, 'POST', '/password');

    expect(missing.body).to.include({ status: 404, detail: 'The variant a1 was not found' });
    expect(missing.body.missing).to.deep.equal(['a1']);
    expect(password.body).to.include({
      status: 403,
      type: 'https://escalable.shop/problems/wrong-password',
      title: 'The current password is wrong',
    });
  });
});
