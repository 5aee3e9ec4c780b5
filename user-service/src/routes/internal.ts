import { Router } from 'express';
import { pathParam, requireServiceCaller } from '@escalable/shop-sdk/server';
import { contact } from '../domain/profile.js';
import { userId } from './schemas.js';

/** /internal: what other services may ask about users, with service credentials only. */
export function internalRoutes(serviceSecret: string): Router {
  const router = Router();
  router.use(requireServiceCaller(serviceSecret));

  router.get('/users/:id/contact', async (req, res) => {
    res.json(await contact(pathParam(req, 'id', userId)));
  });

  return router;
}
