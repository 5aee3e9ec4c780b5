import { expect } from 'chai';
import { Problem } from '@escalable/shop-sdk';
import { UserServiceClient } from '@escalable/shop-sdk/internal';
import { SERVICE_SECRET, call, registerShopper, userService } from './harness.js';

describe('/internal/users', () => {
  it('When a service asks for a contact with credentials, then it gets e-mail, phone and locale', async () => {
    const { url } = await userService();
    const shopper = await registerShopper(url, { phone: '+5491100001111', locale: 'en' });
    const client = new UserServiceClient({
      baseUrl: url,
      caller: 'notification-service',
      secret: SERVICE_SECRET,
    });

    const contact = await client.getContact(shopper.id);

    expect(contact).to.deep.equal({
      id: shopper.id,
      email: shopper.email,
      name: 'Ana Shopper',
      phone: '+5491100001111',
      locale: 'en',
    });
  });

  it('When the caller has no or wrong credentials, then 401; a customer token is not enough', async () => {
    const { url } = await userService();
    const shopper = await registerShopper(url);
    const impostor = new UserServiceClient({
      baseUrl: url,
      caller: 'notification-service',
      secret: 'x'.repeat(64),
    });

    const anonymous = await call(url, 'GET', `/internal/users/${shopper.id}/contact`);
    const withUserToken = await call(url, 'GET', `/internal/users/${shopper.id}/contact`, {
      token: shopper.accessToken,
    });
    const failure = await impostor.getContact(shopper.id).catch((error: unknown) => error);

    expect(anonymous.status).to.equal(401);
    expect(withUserToken.status).to.equal(401);
    expect(failure).to.be.instanceOf(Problem);
    expect((failure as Problem).status).to.equal(401);
  });

  it('When the user does not exist, then the client throws a 404 Problem', async () => {
    const { url } = await userService();
    const client = new UserServiceClient({
      baseUrl: url,
      caller: 'notification-service',
      secret: SERVICE_SECRET,
    });

    const failure = await client
      .getContact('6f1c1d3e-2f7b-4c55-9a3c-1d2e3f4a5b6c')
      .catch((error: unknown) => error);

    expect((failure as Problem).slug).to.equal('not-found');
  });

  it('When the user id is not a UUID, then the client throws a 400 Problem naming id', async () => {
    const { url } = await userService();
    const client = new UserServiceClient({
      baseUrl: url,
      caller: 'notification-service',
      secret: SERVICE_SECRET,
    });

    const failure = await client.getContact('42').catch((error: unknown) => error);

    expect((failure as Problem).status).to.equal(400);
    expect((failure as Problem).extensions.invalidParams).to.deep.equal([
      { in: 'params', name: 'id', reason: 'must be a user id (UUID)' },
    ]);
  });
});
