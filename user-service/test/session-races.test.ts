import { expect } from 'chai';
import { call, registerShopper, userService, visitorAddress, type Registered } from './harness.js';

const TRIALS = 50;

type Pair = { accessToken: string; refreshToken: string };

const refresh = (url: string, refreshToken: string) =>
  call<Pair>(url, 'POST', '/api/auth/refresh', { body: { refreshToken } });

/** Fresh sign-ins of one shopper, each its own session family, opened a few at a time. */
async function signIns(url: string, shopper: Registered, count: number): Promise<Pair[]> {
  const pairs: Pair[] = [];
  while (pairs.length < count) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, count - pairs.length) }, () =>
        call<{ tokens: Pair }>(url, 'POST', '/api/auth/login', {
          body: { email: shopper.email, password: shopper.password },
          headers: { 'x-forwarded-for': visitorAddress() },
        }),
      ),
    );
    for (const answer of batch) {
      expect(answer.status).to.equal(200);
      pairs.push(answer.body.tokens);
    }
  }
  return pairs;
}

/** Refresh tokens that still work: each is tried once, after the revoking call has answered. */
async function survivors(url: string, tokens: Array<string | undefined>): Promise<number> {
  const answers = await Promise.all(tokens.filter((token) => token).map((token) => refresh(url, token!)));
  return answers.filter((answer) => answer.status === 200).length;
}

describe('Session revocation racing a refresh', () => {
  it(`When a sign-out races a refresh of the same token (${TRIALS} trials), then no token of that sign-in survives`, async () => {
    const { url } = await userService();
    const shopper = await registerShopper(url);
    const sessions = await signIns(url, shopper, TRIALS);

    const minted: Array<string | undefined> = [];
    for (const session of sessions) {
      const [refreshed, logout] = await Promise.all([
        refresh(url, session.refreshToken),
        call(url, 'POST', '/api/auth/logout', { body: { refreshToken: session.refreshToken } }),
      ]);
      expect(logout.status).to.equal(204);
      minted.push(refreshed.status === 200 ? refreshed.body.refreshToken : undefined);
    }

    expect(await survivors(url, minted)).to.equal(0);
  });

  it(`When a spent token is replayed while the current one rotates (${TRIALS} trials), then no token of that sign-in survives`, async () => {
    const { url } = await userService();
    const shopper = await registerShopper(url);
    const sessions = await signIns(url, shopper, TRIALS);

    const minted: Array<string | undefined> = [];
    for (const session of sessions) {
      const current = await refresh(url, session.refreshToken);
      const [replay, rotation] = await Promise.all([
        refresh(url, session.refreshToken),
        refresh(url, current.body.refreshToken),
      ]);
      expect(replay.status).to.equal(401);
      minted.push(current.body.refreshToken);
      minted.push(rotation.status === 200 ? rotation.body.refreshToken : undefined);
    }

    expect(await survivors(url, minted)).to.equal(0);
  });

  it(`When the password changes while a thief refreshes in a loop (${TRIALS} trials), then the thief's session ends`, async () => {
    const { url } = await userService();
    const shoppers = await Promise.all(Array.from({ length: 5 }, () => registerShopper(url)));

    // Five shoppers side by side, ten trials each, to keep the fifty password changes to a few seconds.
    const surviving = await Promise.all(
      shoppers.map(async (shopper) => {
        let password = shopper.password;
        let survived = 0;
        for (let trial = 0; trial < TRIALS / shoppers.length; trial++) {
          const [stolen] = await signIns(url, { ...shopper, password }, 1);
          let latest = stolen!.refreshToken;
          let changed = false;
          const thief = (async () => {
            while (!changed) {
              const answer = await refresh(url, latest);
              if (answer.status !== 200) return;
              latest = answer.body.refreshToken;
            }
          })();
          const newPassword = `passphrase number ${trial}`;
          const change = await call(url, 'POST', '/api/users/me/password', {
            token: shopper.accessToken,
            body: { currentPassword: password, newPassword },
            headers: { 'x-forwarded-for': visitorAddress() },
          });
          changed = true;
          await thief;
          expect(change.status).to.equal(204);
          password = newPassword;
          survived += await survivors(url, [latest]);
        }
        return survived;
      }),
    );

    expect(surviving).to.deep.equal([0, 0, 0, 0, 0]);
  });

  it('When a sign-in with the old password races a password change (25 trials), then no session it opened survives', async () => {
    const { url } = await userService();
    const shoppers = await Promise.all(Array.from({ length: 5 }, () => registerShopper(url)));

    const surviving = await Promise.all(
      shoppers.map(async (shopper, n) => {
        let password = shopper.password;
        let survived = 0;
        for (let trial = 0; trial < 5; trial++) {
          const newPassword = `passphrase ${n} ${trial}`;
          const change = call(url, 'POST', '/api/users/me/password', {
            token: shopper.accessToken,
            body: { currentPassword: password, newPassword },
            headers: { 'x-forwarded-for': visitorAddress() },
          });
          // Started a little later, so its password check straddles the change's commit.
          await new Promise((resolve) => setTimeout(resolve, 40 + trial * 20));
          const login = await call<{ tokens: Pair }>(url, 'POST', '/api/auth/login', {
            body: { email: shopper.email, password },
            headers: { 'x-forwarded-for': visitorAddress() },
          });
          expect((await change).status).to.equal(204);
          password = newPassword;
          if (login.status === 200) survived += await survivors(url, [login.body.tokens.refreshToken]);
        }
        return survived;
      }),
    );

    expect(surviving).to.deep.equal([0, 0, 0, 0, 0]);
  });
});
