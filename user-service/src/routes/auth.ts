import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '@escalable/shop-sdk/server';
import type { Accounts } from '../domain/accounts.js';
import type { Sessions } from '../domain/sessions.js';
import { anyPassword, email, locale, name, newPassword, phone, refreshTokenBody } from './schemas.js';

const registerBody = z.strictObject({
  email,
  password: newPassword,
  name,
  phone: phone.optional(),
  locale: locale.optional(),
});
const loginBody = z.strictObject({ email, password: anyPassword });

/** /api/auth: sign-up, sign-in, token refresh and sign-out. */
export function authRoutes(accounts: Accounts, sessions: Sessions): Router {
  const router = Router();

  router.post('/register', async (req, res) => {
    const session = await accounts.register(parseInput(registerBody, req.body, 'body'));
    res.status(201).location(`/api/users/${session.user.id}`).json(session);
  });

  router.post('/login', async (req, res) => {
    res.json(await accounts.login(parseInput(loginBody, req.body, 'body'), req.ip ?? 'unknown'));
  });

  router.post('/refresh', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(await sessions.rotate(parseInput(refreshTokenBody, req.body, 'body').refreshToken));
  });

  router.post('/logout', async (req, res) => {
    await sessions.revoke(parseInput(refreshTokenBody, req.body, 'body').refreshToken);
    res.status(204).end();
  });

  return router;
}
