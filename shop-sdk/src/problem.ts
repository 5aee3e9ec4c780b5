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

/**
 * What a named problem may say beyond its defaults: a more precise `type` (with its `title`, since a
 * type has one title), and extension members a client acts on (`missing`, `available`).
 */
export interface ProblemExtras {
  type?: string;
  title?: string;
  extensions?: Record<string, unknown>;
}

/** How many invalid params a validation problem lists; a hostile body must not make the answer huge. */
export const MAX_INVALID_PARAMS = 20;
/** Longest field name or reason echoed back; a key can be as long as the body. */
const MAX_ECHOED_LENGTH = 64;
/** How many of the listed params the one-line `detail` repeats. */
const PARAMS_IN_DETAIL = 5;

/** Text a client sent, echoed in an answer: cut short, so a hostile request cannot make the answer large. */
export const clip = (text: string, max = MAX_ECHOED_LENGTH) =>
  text.length > max ? `${text.slice(0, max)}…` : text;

function named(
  status: number,
  type: string,
  title: string,
  detail: string | undefined,
  extras?: ProblemExtras,
) {
  return new Problem({
    status,
    type: extras?.type ?? type,
    title: extras?.title ?? title,
    detail,
    extensions: extras?.extensions,
  });
}

/** Named constructors for the problem types every service shares. */
export const problems = {
  /**
   * A 400 listing what is wrong: at most {@link MAX_INVALID_PARAMS} params with clipped names, and
   * `moreInvalidParams: true` when others were left out (whoever found them may have stopped looking).
   */
  validation: (invalidParams: InvalidParam[]) => {
    const listed = invalidParams
      .slice(0, MAX_INVALID_PARAMS)
      .map((param) => ({ ...param, name: clip(param.name), reason: clip(param.reason) }));
    const more = invalidParams.length > listed.length;
    return new Problem({
      status: 400,
      type: 'validation',
      title: 'The request is not valid',
      detail:
        listed
          .slice(0, PARAMS_IN_DETAIL)
          .map((p) => `${p.in}.${p.name}: ${p.reason}`)
          .join('; ') + (more || listed.length > PARAMS_IN_DETAIL ? '; and more' : ''),
      extensions: { invalidParams: listed, ...(more ? { moreInvalidParams: true } : {}) },
    });
  },
  malformedJson: (detail: string) =>
    new Problem({ status: 400, type: 'malformed-json', title: 'The body is not valid JSON', detail }),
  unauthorized: (detail: string, extras?: ProblemExtras) =>
    named(401, 'unauthorized', 'Authentication is required', detail, extras),
  forbidden: (detail: string, extras?: ProblemExtras) =>
    named(403, 'forbidden', 'This action is not allowed', detail, extras),
  /** `what` names the missing thing (`The variant`); `detail` replaces the sentence built from it. */
  notFound: (what: string, extras?: ProblemExtras & { detail?: string }) =>
    named(404, 'not-found', 'Not found', extras?.detail ?? `${what} was not found`, extras),
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
