import { expect } from 'chai';
import { call, countRows, registerShopper, userService, visitorAddress } from './harness.js';

describe('POST /api/auth/login', () => {
  it('When the password is right, then a new session opens with the user and both tokens', async () => {
    const { url } = await userService();
    const shopper = await registerShopper(url);

    const answer = await call<{
      user: { id: string };
      tokens: { accessToken: string; refreshToken: string };
    }>(url, 'POST', '/api/auth/login', {
      body: { email: shopper.email.toUpperCase(), password: shopper.password },
    });

    expect(answer.status).to.equal(200);
    expect(answer.body.user.id).to.equal(shopper.id);
    expect(answer.body.tokens.refreshToken).to.not.equal(shopper.refreshToken);
    const me = await call(url, 'GET', '/api/users/me', { token: answer.body.tokens.accessToken });
    expect(me.body.id).to.equal(shopper.id);
  });

  it('When the password is wrong or the account unknown, then the same 401 and no token is stored', async () => {
    const { url, db } = await userService();
    const shopper = await registerShopper(url);
    const tokensBefore = await countRows(db, 'refresh_tokens');

    const wrong = await call(url, 'POST', '/api/auth/login', {
      body: { email: shopper.email, password: 'not the password' },
    });
    const unknown = await call(url, 'POST', '/api/auth/login', {
      body: { email: 'nobody@example.test', password: 'whatever it is' },
    });

    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    expect(wrong.body.detail).to.equal(unknown.body.detail);
    expect(wrong.headers['www-authenticate']).to.equal('Bearer');
    expect(await countRows(db, 'refresh_tokens')).to.equal(tokensBefore);
  });

  it('When one address fails five times on an account, then even the right password from it gets 429 on every instance', async () => {
    const { url, startInstance } = await userService();
    const second = await startInstance();
    const shopper = await registerShopper(url);
    try {
      for (const base of [url, second.url, url, second.url, url]) {
        const failed = await call(base, 'POST', '/api/auth/login', {
          body: { email: shopper.email, password: 'guess guess' },
        });
        expect(failed.status).to.equal(401);
      }

      const first = await call(url, 'POST', '/api/auth/login', {
        body: { email: shopper.email, password: shopper.password },
      });
      const other = await call(second.url, 'POST', '/api/auth/login', {
        body: { email: shopper.email, password: shopper.password },
      });

      expect(first.status).to.equal(429);
      expect(other.status).to.equal(429);
      expect(Number(first.headers['retry-after'])).to.be.greaterThan(0);
      expect(first.body.type).to.match(/too-many-requests$/);
    } finally {
      await second.close();
    }
  });

  it('When one client IP fails across many accounts, then that IP is limited but others are not', async () => {
    const { startInstance } = await userService();
    const strict = await startInstance({ LOGIN_FAILURES_PER_IP: '3' });
    const shopper = await registerShopper(strict.url);
    const attacker = { 'x-forwarded-for': '203.0.113.7' };
    try {
      for (const n of [1, 2, 3]) {
        await call(strict.url, 'POST', '/api/auth/login', {
          body: { email: `victim-${n}@example.test`, password: 'guess guess' },
          headers: attacker,
        });
      }

      const fromAttacker = await call(strict.url, 'POST', '/api/auth/login', {
        body: { email: shopper.email, password: shopper.password },
        headers: attacker,
      });
      const fromShopper = await call(strict.url, 'POST', '/api/auth/login', {
        body: { email: shopper.email, password: shopper.password },
        headers: { 'x-forwarded-for': '198.51.100.20' },
      });

      expect(fromAttacker.status).to.equal(429);
      expect(fromShopper.status).to.equal(200);
    } finally {
      await strict.close();
    }
  });

  it('When a stranger fails twenty times from another address, then the owner still signs in from theirs', async () => {
    const { url } = await userService();
    const owner = await registerShopper(url);
    const stranger = { 'x-forwarded-for': visitorAddress() };
    const strangerStatuses: number[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      const answer = await call(url, 'POST', '/api/auth/login', {
        body: { email: owner.email, password: `stranger guess ${attempt}` },
        headers: stranger,
      });
      strangerStatuses.push(answer.status);
    }

    const ownerLogin = await call(url, 'POST', '/api/auth/login', {
      body: { email: owner.email, password: owner.password },
      headers: { 'x-forwarded-for': visitorAddress() },
    });

    expect(strangerStatuses.slice(0, 5)).to.deep.equal([401, 401, 401, 401, 401]);
    expect(new Set(strangerStatuses.slice(5))).to.deep.equal(new Set([429]));
    expect(ownerLogin.status).to.equal(200);
  });

  it('When failures on one account come from many addresses, then its attempts are spaced by a delay the owner also waits out', async () => {
    const { startInstance } = await userService();
    const strict = await startInstance({ LOGIN_FAILURES_PER_ACCOUNT: '3' });
    const owner = await registerShopper(strict.url);
    const guess = (password: string) =>
      call(strict.url, 'POST', '/api/auth/login', {
        body: { email: owner.email, password },
        headers: { 'x-forwarded-for': visitorAddress() },
      });
    try {
      const free = [];
      for (const n of [1, 2, 3]) free.push((await guess(`botnet guess ${n}`)).status);
      const delayed = (await guess('botnet guess 4')).status;
      const tooSoon = await guess('botnet guess 5');
      const ownerTooSoon = await guess(owner.password);

      expect(free).to.deep.equal([401, 401, 401]);
      expect(delayed).to.equal(401);
      expect(tooSoon.status).to.equal(429);
      expect(Number(tooSoon.headers['retry-after'])).to.be.within(1, 60);
      expect(ownerTooSoon.status).to.equal(429);
      await new Promise((resolve) => setTimeout(resolve, Number(tooSoon.headers['retry-after']) * 1000));
      expect((await guess(owner.password)).status).to.equal(200);
    } finally {
      await strict.close();
    }
  });

  it('When six right logins of one account arrive at once from one address over both instances, then all six sign in', async () => {
    const { url, startInstance } = await userService();
    const second = await startInstance();
    const shopper = await registerShopper(url);
    const sameAddress = { 'x-forwarded-for': visitorAddress() };
    try {
      const answers = await Promise.all(
        [url, second.url, url, second.url, url, second.url].map((base) =>
          call(base, 'POST', '/api/auth/login', {
            body: { email: shopper.email, password: shopper.password },
            headers: sameAddress,
          }),
        ),
      );

      expect(answers.map((answer) => answer.status)).to.deep.equal([200, 200, 200, 200, 200, 200]);
      const typo = await call(url, 'POST', '/api/auth/login', {
        body: { email: shopper.email, password: 'a typo after' },
        headers: sameAddress,
      });
      expect(typo.status).to.equal(401);
    } finally {
      await second.close();
    }
  });

  it('When twenty wrong guesses arrive at once over both instances, then only the allowed five are checked and the rest get 429', async () => {
    const { url, startInstance } = await userService();
    const second = await startInstance();
    const shopper = await registerShopper(url);
    const guesser = { 'x-forwarded-for': visitorAddress() };
    try {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          call(n % 2 ? second.url : url, 'POST', '/api/auth/login', {
            body: { email: shopper.email, password: `guess number ${n}` },
            headers: guesser,
          }),
        ),
      );
      const rightAfter = await call(second.url, 'POST', '/api/auth/login', {
        body: { email: shopper.email, password: shopper.password },
        headers: guesser,
      });

      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 401)).to.have.length(5);
      expect(statuses.filter((status) => status === 429)).to.have.length(15);
      expect(rightAfter.status).to.equal(429);
    } finally {
      await second.close();
    }
  });

  it('When the e-mail or the forwarded address is very long, then wrong logins are still counted, never a 500', async () => {
    const { url } = await userService();
    const longEmail = `${'a'.repeat(64)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.test`;
    const shopper = await registerShopper(url, { email: longEmail });
    const longAddress = { 'x-forwarded-for': 'x'.repeat(300) };

    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const answer = await call(url, 'POST', '/api/auth/login', {
        body: { email: shopper.email, password: 'guess guess' },
        headers: longAddress,
      });
      statuses.push(answer.status);
    }

    expect(shopper.email).to.have.length.above(240);
    expect(statuses).to.deep.equal([401, 401, 401, 401, 401, 429]);
  });

  it('When the body misses the password, then 400 names it', async () => {
    const { url } = await userService();

    const answer = await call<{ invalidParams: Array<{ name: string }> }>(url, 'POST', '/api/auth/login', {
      body: { email: 'a@example.test' },
    });

    expect(answer.status).to.equal(400);
    expect(answer.body.invalidParams.map((param) => param.name)).to.deep.equal(['password']);
  });
});
