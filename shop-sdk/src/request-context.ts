import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request a piece of work belongs to. The server kit opens it for each incoming request, and the
 * HTTP client reads it, so X-Request-Id follows a call through every service without being passed by hand.
 */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
