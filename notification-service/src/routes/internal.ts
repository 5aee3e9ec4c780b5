import { Router } from 'express';
import { callerOf, parseInput, requireServiceCaller } from '@escalable/shop-sdk/server';
import { acceptNotification } from '../domain/notification-request.js';
import { idempotencyKey, notificationRequest } from './schemas.js';

/** /internal: other services ask for notifications here; services only. */
export function internalRoutes(serviceSecret: string): Router {
  const router = Router();
  router.use(requireServiceCaller(serviceSecret));

  router.post('/notifications', async (req, res) => {
    const key = parseInput(idempotencyKey, req.get('Idempotency-Key'), 'header', 'Idempotency-Key');
    const request = parseInput(notificationRequest, req.body, 'body');
    const recipient = request.recipient.userId ? { userId: request.recipient.userId } : request.recipient;
    res.status(202).json(await acceptNotification({ ...request, recipient }, key, callerOf(req)));
  });

  return router;
}
