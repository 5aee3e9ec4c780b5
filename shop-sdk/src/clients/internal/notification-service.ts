import type { HttpClient } from '../../http/client.js';
import type { NotificationAccepted, NotificationRequest } from '../../contracts/notifications.js';
import { internalHttpClient, type InternalClientOptions } from './service-http.js';

/** notification-service's internal API, for the services that tell customers about their account and orders. */
export class NotificationServiceClient {
  readonly http: HttpClient;

  constructor(options: InternalClientOptions) {
    this.http = internalHttpClient('notification-service', options);
  }

  /**
   * Stores the notification and answers at once (202); a worker delivers it. A repeat with the same
   * key and body answers the same and sends nothing again, so it is sent as safe to retry; the same
   * key with another body is a 422 Problem, missing template data a 400.
   */
  send(request: NotificationRequest, idempotencyKey: string): Promise<NotificationAccepted> {
    return this.http.post<NotificationAccepted>('/internal/notifications', request, { idempotencyKey });
  }
}
