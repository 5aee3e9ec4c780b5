import type { Dispatcher } from 'undici';
import { HttpClient } from '../../http/client.js';
import { serviceTokenSigner } from '../../auth/service-token.js';

export interface InternalClientOptions {
  /** Base URL(s) of the upstream service's instances. */
  baseUrl: string | string[];
  /** The calling service, named in the credentials it presents. */
  caller: string;
  /** The secret shared by the services (SERVICE_SECRET). */
  secret: string;
  timeoutMs?: number;
  maxRetries?: number;
  dispatcher?: Dispatcher;
}

/** An HttpClient that presents service credentials, as every `/internal/*` route requires. */
export function internalHttpClient(upstream: string, options: InternalClientOptions): HttpClient {
  const token = serviceTokenSigner(options.caller, options.secret);
  return new HttpClient({
    name: upstream,
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    dispatcher: options.dispatcher,
    headers: () => ({ authorization: `Bearer ${token()}` }),
  });
}
