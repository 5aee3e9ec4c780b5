export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Query = Record<string, string | number | boolean | undefined>;

/** What a caller may add to any call of the shop's API. */
export interface CallOptions {
  /** Cancels the call; it then rejects with the signal's reason (an AbortError unless given another). */
  signal?: AbortSignal;
  /** Time allowed for this call, in place of the client's default. */
  timeoutMs?: number;
}

export interface ApiRequest extends CallOptions {
  method?: HttpMethod;
  path: string;
  query?: Query;
  body?: unknown;
  /** A body sent as it is with its media type (CSV, NDJSON), in place of `body` as JSON. */
  text?: { body: string; contentType: string };
  headers?: Record<string, string>;
  idempotencyKey?: string;
}

export interface ApiResponse<T> {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: T;
}

/**
 * What the API classes send through: the public client's fetch transport, or the internal HttpClient
 * when a service or test drives an API class directly. Failures are thrown as Problem.
 */
export interface ApiTransport {
  request<T>(request: ApiRequest): Promise<ApiResponse<T>>;
}

export async function bodyOf<T>(http: ApiTransport, request: ApiRequest): Promise<T> {
  return (await http.request<T>(request)).body;
}
