import { request, type Dispatcher } from 'undici';
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleWhen,
  retry,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { Problem, problems } from '../problem.js';
import { currentRequestId } from '../request-context.js';

import type { HttpMethod } from './api-transport.js';

export type { HttpMethod };
type Query = Record<string, string | number | boolean | undefined>;

export interface HttpClientOptions {
  /** Name of the upstream, used in errors (`product-service`). */
  name: string;
  /** Base URL of the upstream; several (an array or comma-separated) are balanced with failover. */
  baseUrl: string | string[];
  /** Time allowed for one attempt, headers and body included. */
  timeoutMs?: number;
  /** Further attempts after the first, for requests that are safe to repeat. */
  maxRetries?: number;
  /** Consecutive failures that open an instance's circuit, and how long it stays open. */
  breaker?: { failures: number; halfOpenAfterMs: number };
  /** Headers added to every call, computed per call (tokens that rotate). */
  headers?: () => Record<string, string>;
  dispatcher?: Dispatcher;
}

export interface RequestOptions {
  method?: HttpMethod;
  path: string;
  query?: Query;
  body?: unknown;
  /** A body sent as it is with its media type (CSV, NDJSON), in place of `body` as JSON. */
  text?: { body: string; contentType: string };
  headers?: Record<string, string>;
  /** Makes a POST or PATCH safe to retry: the upstream answers a repeat with the first result. */
  idempotencyKey?: string;
  timeoutMs?: number;
  /** Cancels the call, retries included. */
  signal?: AbortSignal;
}

export interface HttpResponse<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

const IDEMPOTENT_METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE']);
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** Failures where the request never reached the upstream, so even a POST may go to another instance. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN']);

/** An upstream answered with a status worth retrying; carried through the policies, then unwrapped. */
class RetryableStatus extends Error {
  constructor(readonly response: RawResponse) {
    super(`upstream answered ${response.status}`);
  }
}

function errorCode(error: unknown): string | undefined {
  const seen = error as { code?: string; cause?: { code?: string }; name?: string };
  return seen?.code ?? seen?.cause?.code ?? (seen?.name === 'TimeoutError' ? 'TIMEOUT' : undefined);
}

function isUpstreamFailure(error: unknown): boolean {
  return error instanceof RetryableStatus || errorCode(error) !== undefined;
}

/**
 * The only way services call each other: undici with a deadline per attempt, jittered exponential
 * retries for requests that are safe to repeat, one circuit breaker per upstream instance, round-robin
 * over instances, X-Request-Id passed on, and problem+json answers thrown as {@link Problem}.
 */
export class HttpClient {
  readonly name: string;
  private readonly origins: string[];
  private readonly breakers: CircuitBreakerPolicy[];
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private next = 0;

  constructor(private readonly options: HttpClientOptions) {
    this.name = options.name;
    const urls = Array.isArray(options.baseUrl) ? options.baseUrl : options.baseUrl.split(',');
    this.origins = urls.map((url) => url.trim().replace(/\/+$/, '')).filter(Boolean);
    if (this.origins.length === 0) throw new Error(`${options.name}: no base URL given`);
    const { failures, halfOpenAfterMs } = options.breaker ?? { failures: 5, halfOpenAfterMs: 10_000 };
    this.breakers = this.origins.map(() =>
      circuitBreaker(handleWhen(isUpstreamFailure), {
        halfOpenAfter: halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(failures),
      }),
    );
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxRetries = options.maxRetries ?? 2;
  }

  async request<T>(options: RequestOptions): Promise<HttpResponse<T>> {
    const method = options.method ?? 'GET';
    const repeatable = IDEMPOTENT_METHODS.has(method) || options.idempotencyKey !== undefined;
    const policy = retry(
      handleWhen(
        (error) =>
          !options.signal?.aborted &&
          (repeatable ? isUpstreamFailure(error) : NOT_SENT_CODES.has(errorCode(error) ?? '')),
      ),
      {
        maxAttempts: this.maxRetries,
        backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1_000 }),
      },
    );
    const tried = new Set<number>();
    let raw: RawResponse;
    try {
      raw = await policy.execute(() => this.attemptOnNextInstance(method, options, tried));
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (error instanceof RetryableStatus) raw = error.response;
      else throw this.unavailable(error);
    }
    const body = parseBody(raw);
    if (raw.status >= 400) throw Problem.fromResponse(raw.status, body, this.name);
    return { status: raw.status, headers: raw.headers, body: body as T };
  }

  async get<T>(path: string, query?: Query): Promise<T> {
    return (await this.request<T>({ path, query })).body;
  }

  async post<T>(path: string, body?: unknown, extra?: Omit<RequestOptions, 'path' | 'body'>): Promise<T> {
    return (await this.request<T>({ ...extra, method: 'POST', path, body })).body;
  }

  async patch<T>(path: string, body?: unknown, extra?: Omit<RequestOptions, 'path' | 'body'>): Promise<T> {
    return (await this.request<T>({ ...extra, method: 'PATCH', path, body })).body;
  }

  async put<T>(path: string, body?: unknown): Promise<T> {
    return (await this.request<T>({ method: 'PUT', path, body })).body;
  }

  async delete<T>(path: string): Promise<T> {
    return (await this.request<T>({ method: 'DELETE', path })).body;
  }

  /**
   * Picks the next instance whose circuit is not open, preferring one this request has not tried yet,
   * so a retry goes to another instance and a dead one is skipped rather than waited on. When every
   * circuit is open the call still goes to one: cockatiel refuses it (BrokenCircuitError) until the
   * pause is over and then lets it through as the half-open test, the only way an open circuit closes.
   */
  private attemptOnNextInstance(
    method: HttpMethod,
    options: RequestOptions,
    tried: Set<number>,
  ): Promise<RawResponse> {
    const start = this.next++;
    const order = this.origins.map((_origin, offset) => (start + offset) % this.origins.length);
    const usable = order.filter((index) => this.breakers[index]!.state !== CircuitState.Open);
    const index = usable.find((candidate) => !tried.has(candidate)) ?? usable[0] ?? order[0]!;
    tried.add(index);
    return this.breakers[index]!.execute(() => this.send(this.origins[index]!, method, options));
  }

  private async send(origin: string, method: HttpMethod, options: RequestOptions): Promise<RawResponse> {
    const url = new URL(origin + options.path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      ...this.options.headers?.(),
      ...options.headers,
    };
    const requestId = currentRequestId();
    if (requestId) headers['x-request-id'] = requestId;
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    let body: string | undefined;
    if (options.text) {
      body = options.text.body;
      headers['content-type'] = options.text.contentType;
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const response = await request(url, {
      method,
      headers,
      body,
      signal: attemptSignal(options.timeoutMs ?? this.timeoutMs, options.signal),
      dispatcher: this.options.dispatcher,
    });
    const raw: RawResponse = {
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      text: await response.body.text(),
    };
    if (RETRYABLE_STATUS.has(raw.status)) throw new RetryableStatus(raw);
    return raw;
  }

  private unavailable(error: unknown): Problem {
    if (error instanceof Problem) return error;
    const detail =
      error instanceof BrokenCircuitError
        ? `${this.name} is failing; calls are paused for a while`
        : `${this.name} did not answer (${errorCode(error) ?? (error as Error).message})`;
    return problems.unavailable(this.name, detail, error);
  }
}

function attemptSignal(timeoutMs: number, caller: AbortSignal | undefined): AbortSignal {
  const deadline = AbortSignal.timeout(timeoutMs);
  return caller ? AbortSignal.any([caller, deadline]) : deadline;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function parseBody(raw: RawResponse): unknown {
  if (raw.text === '') return undefined;
  if (/[/+]json\b/.test(raw.headers['content-type'] ?? '')) {
    try {
      return JSON.parse(raw.text);
    } catch {
      return raw.text;
    }
  }
  return raw.text;
}
