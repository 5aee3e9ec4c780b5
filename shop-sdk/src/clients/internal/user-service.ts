import type { HttpClient } from '../../http/client.js';
import type { UserContact } from '../../contracts/users.js';
import { internalHttpClient, type InternalClientOptions } from './service-http.js';

/** user-service's internal API, for services that must reach a customer (notification-service). */
export class UserServiceClient {
  readonly http: HttpClient;

  constructor(options: InternalClientOptions) {
    this.http = internalHttpClient('user-service', options);
  }

  getContact(userId: string): Promise<UserContact> {
    return this.http.get<UserContact>(`/internal/users/${encodeURIComponent(userId)}/contact`);
  }

  /** The public keys that verify access tokens (JWKS), open to any caller. */
  jwks(): Promise<{ keys: JsonWebKey[] }> {
    return this.http.get('/.well-known/jwks.json');
  }
}
