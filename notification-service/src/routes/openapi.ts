import { apiRoutes, openApiDocument, uuid, type ApiRoute } from '@escalable/shop-sdk/server';
import { TWILIO_STATUS_PATH } from './notifications.js';
import { deliveryLogQuery, historyQuery, noBody } from './schemas.js';

/** notification-service's public routes, described with the schemas the routes parse. */
export const NOTIFICATION_API: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/notifications',
    tag: 'Notifications',
    summary: 'The signed-in user’s notification history',
    access: 'bearer',
    query: historyQuery,
    response: { status: 200, description: 'A page of notifications, newest first' },
  },
  ...apiRoutes({ tag: 'Notification administration', access: 'bearer' }, [
    {
      method: 'get',
      path: '/api/notifications/deliveries',
      summary: 'The delivery log (notifications:read-all)',
      query: deliveryLogQuery,
      response: { status: 200, description: 'A page of deliveries' },
      problems: [403],
    },
    {
      method: 'post',
      path: '/api/notifications/deliveries/:id/retry',
      summary: 'Send a failed delivery again (notifications:manage)',
      params: { id: uuid('delivery') },
      body: { schema: noBody, example: {} },
      response: { status: 202, description: 'The delivery, queued again' },
      problems: [403, 404, 409],
    },
  ]),
  {
    method: 'post',
    path: `/api/notifications${TWILIO_STATUS_PATH}`,
    tag: 'Provider callbacks',
    summary: 'Twilio’s SMS status callback',
    description:
      'Posted by Twilio as a form and signed with X-Twilio-Signature over the public URL; not for apps.',
    access: 'public',
    response: { status: 204, description: 'Recorded' },
    problems: [400, 403, 404],
  },
];

export const notificationApiDocument = openApiDocument(
  {
    title: 'Escalable shop: notifications',
    version: '1.0.0',
    description: 'Notification history, the delivery log and Twilio’s callbacks (notification-service).',
  },
  NOTIFICATION_API,
);
