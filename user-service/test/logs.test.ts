import { expect } from 'chai';
import { createLogger } from '@escalable/shop-sdk/server';
import { call, registerShopper, userService } from './harness.js';

describe('Logs', () => {
  it('When shoppers sign up, sign in, refresh and change passwords, then no password or token is logged', async () => {
    const { startInstance } = await userService();
    const lines: string[] = [];
    const logger = createLogger('user-service', 'trace', { write: (line: string) => lines.push(line) });
    const instance = await startInstance({}, logger);
    try {
      const shopper = await registerShopper(instance.url);
      await call(instance.url, 'POST', '/api/auth/login', {
        body: { email: shopper.email, password: 'a wrong guess!' },
      });
      const login = await call<{ tokens: { refreshToken: string } }>(
        instance.url,
        'POST',
        '/api/auth/login',
        {
          body: { email: shopper.email, password: shopper.password },
        },
      );
      const refreshed = await call<{ refreshToken: string }>(instance.url, 'POST', '/api/auth/refresh', {
        body: { refreshToken: login.body.tokens.refreshToken },
      });
      await call(instance.url, 'POST', '/api/users/me/password', {
        token: shopper.accessToken,
        body: { currentPassword: shopper.password, newPassword: 'the next secret phrase' },
      });

      const logged = lines.join('');
      expect(logged).to.include('/api/auth/login').and.include('[redacted]');
      for (const secret of [
        shopper.password,
        'a wrong guess!',
        'the next secret phrase',
        shopper.accessToken,
        shopper.refreshToken,
        login.body.tokens.refreshToken,
        refreshed.body.refreshToken,
      ]) {
        expect(logged).to.not.include(secret);
      }
    } finally {
      await instance.close();
    }
  });
});
