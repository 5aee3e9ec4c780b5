import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { NOTIFICATION_TYPES, type NotificationAccepted, type NotificationRequest } from '@escalable/shop-sdk';
import { answerProblem, startInternalStandIn, type InternalStandIn } from '@escalable/shop-sdk/testing';

export interface NotificationStandIn extends InternalStandIn {
  /** Each request answered 202, with its Idempotency-Key, in order of arrival. */
  readonly accepted: Array<{ key: string; request: NotificationRequest; caller: string }>;
}

/**
 * notification-service as user-service sees it: POST /internal/notifications per the notification
 * contract, with service credentials, a required Idempotency-Key (the same key and body answer the
 * same, another body 422) and the welcome and password-changed template data checked.
 */
export async function startNotificationStandIn(serviceSecret: string): Promise<NotificationStandIn> {
  const answered = new Map<string, { request: unknown; answer: NotificationAccepted }>();
  const accepted: NotificationStandIn['accepted'] = [];
  const server = await startInternalStandIn(
    serviceSecret,
    (app) => {
      app.post('/internal/notifications', (req, res) => {
        const key = req.headers['idempotency-key'];
        if (typeof key !== 'string' || key.length < 1 || key.length > 200)
          return answerProblem(res, 400, 'validation');
        const request = req.body as NotificationRequest;
        if (!isWellFormed(request)) return answerProblem(res, 400, 'validation');
        const earlier = answered.get(key);
        if (earlier && !isDeepStrictEqual(earlier.request, request))
          return answerProblem(res, 422, 'idempotency-key-reused');
        const answer = earlier?.answer ?? {
          id: randomUUID(),
          type: request.type,
          deliveries: request.channels.map((channel) => ({
            id: randomUUID(),
            channel,
            status: 'pending' as const,
          })),
        };
        answered.set(key, { request, answer });
        accepted.push({ key, request, caller: res.locals.caller as string });
        res.status(202).json(answer);
      });
    },
    { whenDown: 'drop' },
  );
  return Object.assign(server, { accepted });
}

function isWellFormed(request: NotificationRequest): boolean {
  const data = request?.data ?? {};
  const needs =
    request?.type === 'password-changed'
      ? ['name', 'changedAt']
      : request?.type === 'welcome'
        ? ['name']
        : [];
  return (
    NOTIFICATION_TYPES.includes(request?.type) &&
    typeof request.recipient === 'object' &&
    Array.isArray(request.channels) &&
    request.channels.every((channel) => channel === 'email' || channel === 'sms') &&
    needs.every((field) => typeof data[field] === 'string' && data[field] !== '')
  );
}
