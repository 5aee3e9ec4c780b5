import { Router } from 'express';
import type { TokenVerifier } from '@escalable/shop-sdk/internal';
import {
  authenticate,
  claimsOf,
  parseInput,
  pathParam,
  requirePermission,
  uuid,
} from '@escalable/shop-sdk/server';
import type { NotificationDependencies } from '../domain/dependencies.js';
import { retryFailedDelivery } from '../domain/delivery-retry.js';
import { deliveryLog, notificationHistory } from '../domain/delivery-views.js';
import { recordTwilioStatus } from '../domain/twilio-status.js';
import { deliveryLogQuery, historyQuery, noBody } from './schemas.js';

/** The path of Twilio's status callbacks, below /api/notifications; its body comes as a form. */
export const TWILIO_STATUS_PATH = '/twilio/status';

/** /api/notifications: a user's own history, the staff's delivery log, and Twilio's status callbacks. */
export function notificationRoutes(verify: TokenVerifier, deps: NotificationDependencies): Router {
  const router = Router();

  // Twilio signs its callbacks instead of presenting a token, so this route comes before authentication.
  router.post(TWILIO_STATUS_PATH, async (req, res) => {
    await recordTwilioStatus(req.body ?? {}, req.get('X-Twilio-Signature'), deps.sms);
    res.status(204).end();
  });

  router.use(authenticate(verify), (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/', async (req, res) => {
    const page = parseInput(historyQuery, req.query, 'query');
    res.json(await notificationHistory(claimsOf(req).sub, page));
  });

  router.get('/deliveries', requirePermission('notifications:read-all'), async (req, res) => {
    const { limit, offset, ...filter } = parseInput(deliveryLogQuery, req.query, 'query');
    res.json(await deliveryLog(filter, { limit, offset }));
  });

  router.post('/deliveries/:id/retry', requirePermission('notifications:manage'), async (req, res) => {
    parseInput(noBody, req.body, 'body');
    res.status(202).json(await retryFailedDelivery(pathParam(req, 'id', uuid('delivery'))));
  });

  return router;
}
