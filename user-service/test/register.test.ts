import { expect } from 'chai';
import { call, countRows, uniqueEmail, userService, visitorAddress } from './harness.js';

describe('POST /api/auth/register', () => {
  it('When a visitor signs up, then they get a customer account and tokens that open their profile', async () => {
    const { url } = await userService();
    const email = uniqueEmail();

    const answer = await call<{ user: Record<string, unknown>; tokens: Record<string, unknown> }>(
      url,
      'POST',
      '/api/auth/register',
      {
        body: {
          email,
          password: 'correct horse battery',
          name: 'Ana',
          phone: '+5491122334455',
          locale: 'en',
        },
      },
    );

    expect(answer.status).to.equal(201);
    expect(answer.body.user).to.include({ email, name: 'Ana', phone: '+5491122334455', locale: 'en' });
    expect(answer.body.user.roles).to.deep.equal(['customer']);
    expect(answer.body.user).to.not.have.property('passwordHash');
    expect(answer.body.tokens).to.include({ tokenType: 'Bearer', expiresIn: 300 });
    const me = await call(url, 'GET', '/api/users/me', { token: answer.body.tokens.accessToken as string });
    expect(me.status).to.equal(200);
    expect(me.body.email).to.equal(email);
  });

  it('When the e-mail is taken in another letter case, then 409 and no second account', async () => {
    const { url, db } = await userService();
    const email = uniqueEmail();
    await call(url, 'POST', '/api/auth/register', {
      body: { email, password: 'correct horse battery', name: 'Ana' },
    });

    const answer = await call(url, 'POST', '/api/auth/register', {
      body: { email: email.toUpperCase(), password: 'another good password', name: 'Impostor' },
    });

    expect(answer.status).to.equal(409);
    expect(answer.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(answer.body.type).to.match(/email-taken$/);
    expect(await countRows(db, 'users', 'lower(email) = $email', { email })).to.equal(1);
  });

  it('When one address keeps signing up, then it is limited (so 409 is a slow way to learn who has an account)', async () => {
    const { startInstance } = await userService();
    const strict = await startInstance({ REGISTRATIONS_PER_IP: '3' });
    const prober = { 'x-forwarded-for': visitorAddress() };
    const signUp = (email: string, headers = prober) =>
      call(strict.url, 'POST', '/api/auth/register', {
        body: { email, password: 'correct horse battery', name: 'Probe' },
        headers,
      });
    try {
      const known = uniqueEmail();
      const statuses = [];
      for (const email of [known, known, uniqueEmail(), uniqueEmail()])
        statuses.push((await signUp(email)).status);
      const elsewhere = await signUp(uniqueEmail(), { 'x-forwarded-for': visitorAddress() });

      expect(statuses).to.deep.equal([201, 409, 201, 429]);
      expect(elsewhere.status).to.equal(201);
    } finally {
      await strict.close();
    }
  });

  it('When fields are missing or wrong, then 400 names each of them and nothing is written', async () => {
    const { url, db } = await userService();
    const before = await countRows(db, 'users');

    const answer = await call<{ invalidParams: Array<{ name: string }> }>(url, 'POST', '/api/auth/register', {
      body: { email: 'not-an-email', password: 'short', phone: '12345', admin: true },
    });

    expect(answer.status).to.equal(400);
    expect(answer.headers['content-type']).to.match(/^application\/problem\+json/);
    const names = answer.body.invalidParams.map((param) => param.name);
    expect(names).to.include.members(['email', 'password', 'name', 'phone', 'admin']);
    expect(await countRows(db, 'users')).to.equal(before);
  });

  it('When the body is malformed JSON, then 400 malformed-json', async () => {
    const { url } = await userService();

    const answer = await call(url, 'POST', '/api/auth/register', { rawBody: '{"email": "a@b.c", ' });

    expect(answer.status).to.equal(400);
    expect(answer.body.type).to.match(/malformed-json$/);
  });

  it('When the body is 2 MB, then 413 and nothing is written', async () => {
    const { url, db } = await userService();
    const before = await countRows(db, 'users');

    const answer = await call(url, 'POST', '/api/auth/register', {
      body: { email: uniqueEmail(), password: 'correct horse battery', name: 'x'.repeat(2 * 1024 * 1024) },
    });

    expect(answer.status).to.equal(413);
    expect(answer.body.type).to.match(/payload-too-large$/);
    expect(await countRows(db, 'users')).to.equal(before);
  });

  it('When the body is not JSON, then 415', async () => {
    const { url } = await userService();

    const answer = await call(url, 'POST', '/api/auth/register', {
      rawBody: 'email=a@b.c',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    expect(answer.status).to.equal(415);
  });
});
