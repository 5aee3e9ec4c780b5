import { Router, type Request } from 'express';
import { z } from 'zod';
import { callerOf, parseInput, pathParam, requireServiceCaller } from '@escalable/shop-sdk/server';
import {
  commitReservation,
  findReservation,
  releaseReservation,
  reserveStock,
} from '../domain/reservations.js';
import { lookupVariants } from '../domain/variant-lookup.js';
import { orderId, quantity, variantId } from './schemas.js';

const reservationRequest = z.strictObject({
  orderId,
  items: z
    .array(z.strictObject({ variantId, quantity }))
    .min(1)
    .max(100)
    .refine(
      (items) => new Set(items.map((item) => item.variantId)).size === items.length,
      'must name each variant once',
    ),
  ttlSeconds: z.number().int().min(1).max(86_400).optional(),
});
const variantLookupQuery = z.strictObject({
  ids: z
    .string()
    .transform((ids) => ids.split(','))
    .pipe(z.array(variantId).min(1).max(100)),
});

/** The calling service, as the stock ledger names it. */
const serviceActor = (req: Request) => `service:${callerOf(req)}`;

export interface InternalRouteSettings {
  serviceSecret: string;
  reservationTtlSeconds: number;
}

/** /internal: stock reservations for order-service and variant look-ups for pricing; services only. */
export function internalRoutes(settings: InternalRouteSettings): Router {
  const router = Router();
  router.use(requireServiceCaller(settings.serviceSecret));

  router.post('/reservations', async (req, res) => {
    const request = parseInput(reservationRequest, req.body, 'body');
    const { reservation, created } = await reserveStock(
      { ...request, ttlSeconds: request.ttlSeconds ?? settings.reservationTtlSeconds },
      serviceActor(req),
    );
    res
      .status(created ? 201 : 200)
      .location(`/internal/reservations/${encodeURIComponent(reservation.orderId)}`)
      .json(reservation);
  });

  router.get('/reservations/:orderId', async (req, res) => {
    res.json(await findReservation(pathParam(req, 'orderId', orderId)));
  });

  router.post('/reservations/:orderId/commit', async (req, res) => {
    res.json(await commitReservation(pathParam(req, 'orderId', orderId), serviceActor(req)));
  });

  router.post('/reservations/:orderId/release', async (req, res) => {
    res.json(await releaseReservation(pathParam(req, 'orderId', orderId), serviceActor(req)));
  });

  router.get('/variants', async (req, res) => {
    res.json(await lookupVariants(parseInput(variantLookupQuery, req.query, 'query').ids));
  });

  return router;
}
