/**
 * The one error type of the shop. Services throw it from their domain code and the server kit turns
 * it into application/problem+json (RFC 9457); the HTTP client turns problem+json answers back into it,
 * so a caller handles a remote failure exactly like a local one.
 */
export const PROBLEM_TYPE_BASE = 'https://escalable.shop/problems/';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

/** One field that failed validation: where it was (`body`, `query`, `params`, `header`) and why. */
export interface InvalidParam {
  name: string;
  in: string;
  reason: string;
}

export interface ProblemInit {
  status: number;
  /** Short slug (`out-of-stock`) or a full type URI. */
  type: string;
  title: string;
  detail?: string;
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

export class Problem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
  readonly extensions: Record<string, unknown>;

  constructor(init: ProblemInit) {
    super(init.detail ?? init.title, { cause: init.cause });
    this.name = 'Problem';
    this.status = init.status;
    this.type = init.type.includes(':') ? init.type : PROBLEM_TYPE_BASE + init.type;
    this.title = init.title;
    this.detail = init.detail;
    this.extensions = init.extensions ?? {};
  }

  /** The slug of a shop problem type (`not-found`), or the whole URI for a foreign one. */
  get slug(): string {
    return this.type.startsWith(PROBLEM_TYPE_BASE) ? this.type.slice(PROBLEM_TYPE_BASE.length) : this.type;
  }

  toJSON(): ProblemDetails {
    return {
      ...this.extensions,
      type: this.type,
      title: this.title,
      status: this.status,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
    };
  }

  /** Rebuilds a Problem from an HTTP answer; non-problem bodies become a generic one for the status. */
  static fromResponse(status: number, body: unknown, upstream: string): Problem {
    if (isProblemDetails(body)) {
      const { type, title, status: _status, detail, ...extensions } = body;
      return new Problem({ status, type, title, detail, extensions: { ...extensions, upstream } });
    }
    return new Problem({
      status,
      type: status >= 500 ? 'upstream-error' : 'upstream-rejected',
      title: `${upstream} answered ${status}`,
      extensions: { upstream },
    });
  }
}

function isProblemDetails(body: unknown): body is ProblemDetails {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as ProblemDetails).type === 'string' &&
    typeof (body as ProblemDetails).title === 'string'
  );
}

/** Named constructors for the problem types every service shares. */
export const problems = {
  validation: (invalidParams: InvalidParam[]) =>
    new Problem({
      status: 400,
      type: 'validation',
      title: 'The request is not valid',
      detail: invalidParams.map((p) => `${p.in}.${p.name}: ${p.reason}`).join('; '),
      extensions: { invalidParams },
    }),
  malformedJson: (detail: string) =>
    new Problem({ status: 400, type: 'malformed-json', title: 'The body is not valid JSON', detail }),
  unauthorized: (detail: string) =>
    new Problem({ status: 401, type: 'unauthorized', title: 'Authentication is required', detail }),
  forbidden: (detail: string) =>
    new Problem({ status: 403, type: 'forbidden', title: 'This action is not allowed', detail }),
  notFound: (what: string) =>
    new Problem({ status: 404, type: 'not-found', title: 'Not found', detail: `${what} was not found` }),
  conflict: (type: string, detail: string, extensions?: Record<string, unknown>) =>
    new Problem({
      status: 409,
      type,
      title: 'The request conflicts with the current state',
      detail,
      extensions,
    }),
  payloadTooLarge: (limit: string) =>
    new Problem({
      status: 413,
      type: 'payload-too-large',
      title: 'The body is too large',
      detail: `The body exceeds the limit of ${limit}`,
    }),
  unsupportedMediaType: (detail: string) =>
    new Problem({ status: 415, type: 'unsupported-media-type', title: 'Unsupported media type', detail }),
  tooManyRequests: (detail: string, retryAfterSeconds: number) =>
    new Problem({
      status: 429,
      type: 'too-many-requests',
      title: 'Too many requests',
      detail,
      extensions: { retryAfter: retryAfterSeconds },
    }),
  unavailable: (upstream: string, detail: string, cause?: unknown) =>
    new Problem({
      status: 503,
      type: 'upstream-unavailable',
      title: 'A service this request needs is unavailable',
      detail,
      extensions: { upstream },
      cause,
    }),
  internal: () =>
    new Problem({
      status: 500,
      type: 'internal',
      title: 'Internal server error',
      detail: 'Something went wrong',
    }),
};
