/** An answer read off a raw socket. */
export interface RawAnswer {
  /** The status line, e.g. `HTTP/1.1 400 Bad Request`. */
  statusLine: string;
  /** NaN when the answer has no HTTP/1.x status line (an HTTP/0.9 answer, or none). */
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The body as sent (latin1), chunked framing included. */
  text: string;
}

/**
 * Writes `bytes` as they are to the server at `origin` and reads the answer until the server closes:
 * for requests no HTTP client would send (a raw non-ASCII byte, `HTTP/2.0` on a plain socket, no Host).
 * Requests on HTTP/1.1 need `Connection: close` unless the answer closes the connection itself.
 */
export declare function rawExchange(origin: string, bytes: string | Buffer): Promise<RawAnswer>;
