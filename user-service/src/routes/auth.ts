import { Router, type Response } from 'express';
import { z } from 'zod';
import { parseInput, phoneNumber } from '@escalable/shop-sdk/server';
import { login } from '../domain/credentials.js';
import type { AccountDependencies } from '../domain/dependencies.js';
import { register } from '../domain/registration.js';
import { refreshSession, signOut } from '../domain/sessions.js';
import { clientAddress } from './client-address.js';
import { anyPassword, email, locale, name, newPassword, refreshTokenBody } from './schemas.js';

export const registerBody = z.strictObject({
  email,
  password: newPassword,
  name,
  phone: phoneNumber.optional(),
  locale: locale.optional(),
});
export const loginBody = z.strictObject({ email, password: anyPassword });

// Answers carrying tokens must not be kept by any cache between the shopper and us.
const noStore = (res: Response) => res.set('Cache-Control', 'no-store');

/** /api/auth: sign-up, sign-in, token refresh and sign-out. */
export function authRoutes(deps: AccountDependencies): Router {
  const router = Router();

  router.post('/register', async (req, res) => {
    const session = await register(deps, parseInput(registerBody, req.body, 'body'), clientAddress(req));
    noStore(res).status(201).location(`/api/users/${session.user.id}`).json(session);
  });

  router.post('/login', async (req, res) => {
    noStore(res).json(await login(deps, parseInput(loginBody, req.body, 'body'), clientAddress(req)));
  });

  router.post('/refresh', async (req, res) => {
    const { refreshToken } = parseInput(refreshTokenBody, req.body, 'body');
    noStore(res).json(await refreshSession(deps.sessions, refreshToken));
  });

  router.post('/logout', async (req, res) => {
    await signOut(parseInput(refreshTokenBody, req.body, 'body').refreshToken);
    res.status(204).end();
  });

  return router;
}
