import { expect } from 'chai';
import { call, registerShopper, uniqueEmail, userService, visitorAddress } from './harness.js';

describe('Password guessing and argon2 work', () => {
  it('When sixty wrong current passwords arrive at once, then five are checked and the rest get 429', async () => {
    const { url } = await userService();
    const victim = await registerShopper(url);
    const thief = { 'x-forwarded-for': visitorAddress() };

    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, n) =>
        call(url, 'POST', '/api/users/me/password', {
          token: victim.accessToken,
          body: { currentPassword: `guess number ${n}`, newPassword: 'the thief owns this now' },
          headers: thief,
        }),
      ),
    );

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 403)).to.have.length(5);
    expect(statuses.filter((status) => status === 429)).to.have.length(55);
    expect(answers.find((answer) => answer.status === 429)!.headers['retry-after']).to.match(/^\d+$/);
    const login = await call(url, 'POST', '/api/auth/login', {
      body: { email: victim.email, password: victim.password },
      headers: { 'x-forwarded-for': visitorAddress() },
    });
    expect(login.status).to.equal(200);
  });

  it('When one customer floods wrong password changes, then another user still signs in', async () => {
    const { url } = await userService();
    const flooder = await registerShopper(url);
    const other = await registerShopper(url);
    const timedLogin = async () => {
      const started = performance.now();
      const answer = await call(url, 'POST', '/api/auth/login', {
        body: { email: other.email, password: other.password },
        headers: { 'x-forwarded-for': visitorAddress() },
      });
      return { status: answer.status, ms: Math.round(performance.now() - started) };
    };
    const alone = await timedLogin();

    const flood = Array.from({ length: 60 }, (_, n) =>
      call(url, 'POST', '/api/users/me/password', {
        token: flooder.accessToken,
        body: { currentPassword: `flood ${n}`, newPassword: 'whatever comes next' },
      }),
    );
    const duringFlood = await timedLogin();
    await Promise.all(flood);

    console.log(`      another user's login: ${alone.ms} ms alone, ${duringFlood.ms} ms during the flood`);
    expect([alone.status, duringFlood.status]).to.deep.equal([200, 200]);
  });

  it('When more password checks wait than the queue holds, then 503 with Retry-After, never a 500', async () => {
    const { startInstance } = await userService();
    const busy = await startInstance({ PASSWORD_HASHING_CONCURRENCY: '1', PASSWORD_HASHING_QUEUE: '2' });
    try {
      const answers = await Promise.all(
        Array.from({ length: 12 }, () =>
          call(busy.url, 'POST', '/api/auth/login', {
            body: { email: uniqueEmail(), password: 'some guess' },
            headers: { 'x-forwarded-for': visitorAddress() },
          }),
        ),
      );

      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 503).length).to.be.greaterThan(0);
      expect(statuses.filter((status) => status !== 503 && status !== 401)).to.deep.equal([]);
      const refused = answers.find((answer) => answer.status === 503)!;
      expect(refused.headers['retry-after']).to.equal('1');
      expect(refused.headers['content-type']).to.match(/^application\/problem\+json/);
    } finally {
      await busy.close();
    }
  });
});
