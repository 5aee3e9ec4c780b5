import { expect } from 'chai';
import { call, logsDuring, registerShopper, userService } from './harness.js';

describe('Logs', () => {
  it('When shoppers sign up, sign in, refresh and change passwords, then no password or token is logged', async () => {
    const { url } = await userService();
    const secrets: string[] = ['a wrong guess!', 'the next secret phrase'];

    const logged = await logsDuring(async () => {
      const shopper = await registerShopper(url);
      await call(url, 'POST', '/api/auth/login', {
        body: { email: shopper.email, password: 'a wrong guess!' },
      });
      const login = await call<{ tokens: { refreshToken: string } }>(url, 'POST', '/api/auth/login', {
        body: { email: shopper.email, password: shopper.password },
      });
      const refreshed = await call<{ refreshToken: string }>(url, 'POST', '/api/auth/refresh', {
        body: { refreshToken: login.body.tokens.refreshToken },
      });
      await call(url, 'POST', '/api/users/me/password', {
        token: shopper.accessToken,
        body: { currentPassword: shopper.password, newPassword: 'the next secret phrase' },
      });
      secrets.push(
        shopper.password,
        shopper.accessToken,
        shopper.refreshToken,
        login.body.tokens.refreshToken,
        refreshed.body.refreshToken,
      );
    });

    expect(logged).to.include('/api/auth/login').and.include('[redacted]');
    for (const secret of secrets) expect(logged).to.not.include(secret);
  });

  it('When the log level is trace, then the SQL lines of a sign-in carry no password hash or token hash', async () => {
    const { url, db } = await userService();
    const shopper = await registerShopper(url);

    const logged = await logsDuring(async () => {
      const login = await call(url, 'POST', '/api/auth/login', {
        body: { email: shopper.email, password: shopper.password },
      });
      expect(login.status).to.equal(200);
    });

    const [stored] = await db.sequelize.query(
      `SELECT password_hash AS hash FROM users WHERE id = $id
       UNION ALL SELECT token_hash FROM refresh_tokens WHERE user_id = $id`,
      { bind: { id: shopper.id } },
    );
    const hashes = (stored as Array<{ hash: string }>).map((row) => row.hash);
    expect(logged).to.include('INSERT INTO session_families');
    expect(hashes).to.have.length(3);
    for (const hash of hashes) expect(logged).to.not.include(hash);
  });
});
