import { request } from 'undici';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

export interface CallOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (malformed JSON, forms), with `content-type` from `headers` or JSON's. */
  rawBody?: string;
  /** An access token, sent as `Authorization: Bearer`. */
  token?: string;
  headers?: Record<string, string>;
}

/**
 * One HTTP call that never throws on status, so a test can assert the status and the body of an
 * answer exactly as a client would receive it.
 */
export async function call<T = Record<string, unknown>>(
  base: string,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  options: CallOptions = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body = options.body === undefined ? options.rawBody : JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await request(base + path, { method, headers, body });
  const text = await response.body.text();
  const isJson = /[/+]json\b/.test(String(response.headers['content-type'] ?? ''));
  return {
    status: response.statusCode,
    headers: response.headers,
    body: (isJson && text ? JSON.parse(text) : text || undefined) as T,
  };
}
