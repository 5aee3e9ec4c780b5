import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

export interface OutboundGuard {
  /** Lets calls to these origins through: the service under test, its stand-ins. */
  allow(...targets: Array<string | { url: string }>): void;
  /** The calls refused so far, as `METHOD URL`. */
  readonly refused: readonly string[];
  /** Unsubscribes; calls go out freely again. */
  stop(): void;
}

export interface OutboundGuardOptions {
  /** Told of each refused call; by default its error is thrown as an uncaught exception. */
  onRefused?: (error: Error) => void;
}

interface UndiciRequest {
  origin?: string | URL;
  path?: string;
  method?: string;
  error?: Error;
}

/**
 * Fails a test on any HTTP call to an origin it did not allow. Undici's diagnostics channel sees the
 * kit's HttpClient, undici's request and the global fetch alike (each undici copy publishes to the
 * same named channel), and node:http's channel sees the rest. A refused call never sends its request
 * (it fails in the caller with an error naming the URL), and the same error is raised as an uncaught
 * exception, which mocha reports against the running test even when the code under test swallowed it.
 */
export function guardOutboundHttp(options: OutboundGuardOptions = {}): OutboundGuard {
  const report =
    options.onRefused ??
    ((error: Error) =>
      process.nextTick(() => {
        throw error;
      }));
  const allowed = new Set<string>();
  const refused: string[] = [];
  const refuse = (method: string, url: string): Error => {
    const error = new Error(`Unexpected outbound HTTP call: ${method} ${url} (allow its origin in the test)`);
    refused.push(`${method} ${url}`);
    report(error);
    return error;
  };
  const onUndiciRequest = (message: unknown) => {
    const request = (message as { request: UndiciRequest }).request;
    const origin = new URL(String(request.origin)).origin;
    if (allowed.has(origin)) return;
    // undici aborts a request holding an error as soon as it has a connection, before writing it.
    request.error = refuse(request.method ?? 'GET', origin + (request.path ?? ''));
  };
  const onHttpRequest = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    const origin = `${request.protocol}//${String(request.getHeader('host') ?? request.host)}`;
    if (allowed.has(new URL(origin).origin)) return;
    request.destroy(refuse(request.method, origin + request.path));
  };
  diagnostics.subscribe('undici:request:create', onUndiciRequest);
  diagnostics.subscribe('http.client.request.start', onHttpRequest);
  return {
    allow(...targets) {
      for (const target of targets)
        allowed.add(new URL(typeof target === 'string' ? target : target.url).origin);
    },
    refused,
    stop() {
      diagnostics.unsubscribe('undici:request:create', onUndiciRequest);
      diagnostics.unsubscribe('http.client.request.start', onHttpRequest);
    },
  };
}
