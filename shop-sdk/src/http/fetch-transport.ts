import { Problem } from '../problem.js';
import type { ApiRequest, ApiResponse, ApiTransport } from './api-transport.js';

export interface FetchTransportOptions {
  baseUrl: string;
  /** Default time allowed for one call, body included. */
  timeoutMs?: number;
  /** Another fetch (a polyfill, an instrumented one); the global one by default. */
  fetch?: typeof globalThis.fetch;
  /** Names the other end in problems the transport makes itself. */
  name?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The public client's way to the shop: plain fetch, so it runs in browsers, React Native, Deno, Bun,
 * edge runtimes and Node alike. No retries: the shop's public writes are not all safe to repeat, and an
 * app decides itself whether to try again.
 */
export class FetchTransport implements ApiTransport {
  private readonly origin: string;
  private readonly timeoutMs: number;
  private readonly name: string;

  constructor(private readonly options: FetchTransportOptions) {
    this.origin = options.baseUrl.trim().replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.name = options.name ?? 'shop-api';
  }

  async request<T>(request: ApiRequest): Promise<ApiResponse<T>> {
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const deadline = timeoutSignal(timeoutMs);
    const signal = request.signal ? anySignal([request.signal, deadline.signal]) : deadline.signal;
    const fetchImpl = this.options.fetch ?? globalThis.fetch;
    let status: number;
    let headers: Record<string, string>;
    let text: string;
    try {
      const response = await fetchImpl(this.urlOf(request), {
        method: request.method ?? 'GET',
        headers: headersOf(request),
        body: request.text?.body ?? (request.body === undefined ? undefined : JSON.stringify(request.body)),
        signal,
      });
      status = response.status;
      headers = {};
      response.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value;
      });
      text = await response.text();
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason ?? error;
      if (deadline.signal.aborted) throw this.timedOut(timeoutMs, error);
      throw new Problem({
        status: 503,
        type: 'upstream-unavailable',
        title: 'The shop could not be reached',
        detail: `${this.name} did not answer (${(error as Error).message})`,
        extensions: { upstream: this.name },
        cause: error,
      });
    } finally {
      deadline.dispose();
    }
    const body = parse(text, headers['content-type']);
    if (status >= 400) throw Problem.fromResponse(status, body, this.name);
    return { status, headers, body: body as T };
  }

  private urlOf(request: ApiRequest): string {
    const url = new URL(this.origin + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  private timedOut(timeoutMs: number, cause: unknown): Problem {
    return new Problem({
      status: 504,
      type: 'timeout',
      title: 'The shop did not answer in time',
      detail: `${this.name} did not answer within the timeout of ${timeoutMs} ms`,
      extensions: { upstream: this.name, timeoutMs },
      cause,
    });
  }
}

function headersOf(request: ApiRequest): Record<string, string> {
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    ...request.headers,
  };
  if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
  if (request.text) headers['content-type'] = request.text.contentType;
  else if (request.body !== undefined) headers['content-type'] = 'application/json';
  return headers;
}

function parse(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (!/[/+]json\b/.test(contentType ?? '')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * AbortSignal.timeout where the runtime has it; React Native and older engines get a timer. The timer
 * is cleared after the call so that a finished call does not keep a process alive for the timeout.
 */
function timeoutSignal(ms: number): { signal: AbortSignal; dispose: () => void } {
  if (typeof AbortSignal.timeout === 'function')
    return { signal: AbortSignal.timeout(ms), dispose: () => {} };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${ms} ms`)), ms);
  return { signal: controller.signal, dispose: () => clearTimeout(timer) };
}

function anySignal(signals: AbortSignal[]): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any(signals);
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}
