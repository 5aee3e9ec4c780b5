import { Router } from 'express';
import { z } from 'zod';
import {
  authenticate,
  claimsOf,
  paginationQuery,
  parseInput,
  pathParam,
  phoneNumber,
  shippingAddress,
} from '@escalable/shop-sdk/server';
import type { TokenVerifier } from '@escalable/shop-sdk/internal';
import { changePassword } from '../domain/credentials.js';
import type { AccountDependencies } from '../domain/dependencies.js';
import { profile, updateProfile } from '../domain/profile.js';
import { listUsers, setRoles } from '../domain/user-admin.js';
import { clientAddress } from './client-address.js';
import { anyPassword, locale, name, newPassword, role, userId } from './schemas.js';

export const profileUpdate = z
  .strictObject({
    name: name.optional(),
    phone: phoneNumber.nullable().optional(),
    locale: locale.optional(),
    shippingAddresses: z.array(shippingAddress).optional(),
  })
  .refine((update) => Object.keys(update).length > 0, 'send at least one field to change');
export const passwordChange = z.strictObject({ currentPassword: anyPassword, newPassword });
export const userListQuery = z.strictObject({
  ...paginationQuery,
  search: z.string().trim().min(1).max(100).optional(),
  role: role.optional(),
});
export const rolesBody = z.strictObject({ roles: z.array(role).min(1).max(2) });

/** /api/users: the signed-in user's own profile, and user administration. */
export function userRoutes(deps: AccountDependencies, verify: TokenVerifier): Router {
  const router = Router();
  router.use(authenticate(verify));

  router.get('/me', async (req, res) => {
    res.json(await profile(claimsOf(req).sub));
  });

  router.patch('/me', async (req, res) => {
    res.json(await updateProfile(claimsOf(req).sub, parseInput(profileUpdate, req.body, 'body')));
  });

  router.post('/me/password', async (req, res) => {
    const change = parseInput(passwordChange, req.body, 'body');
    await changePassword(deps, claimsOf(req).sub, change, clientAddress(req));
    res.status(204).end();
  });

  router.get('/', async (req, res) => {
    res.json(await listUsers(claimsOf(req).sub, parseInput(userListQuery, req.query, 'query')));
  });

  router.patch('/:id/roles', async (req, res) => {
    const id = pathParam(req, 'id', userId);
    res.json(await setRoles(claimsOf(req).sub, id, parseInput(rolesBody, req.body, 'body').roles));
  });

  return router;
}
