import type { ErrorRequestHandler, RequestHandler } from 'express';
import { clip, Problem, problems } from '../problem.js';

/**
 * What body-parser and Express's router throw: http-errors (`expose` is false only for server faults),
 * or the router's URIError carrying a 400 status.
 */
interface HttpError {
  type?: string;
  message: string;
  status?: number;
  expose?: boolean;
}

/**
 * Maps failures that are the client's fault to their problems: body-parser's by type, and any other
 * exposed 4xx error (a path that is not valid percent-encoding, a body that is not the gzip it says).
 */
function clientProblem(error: HttpError, bodyLimit: string): Problem | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return problems.malformedJson(error.message);
    case 'entity.too.large':
      return problems.payloadTooLarge(bodyLimit);
    case 'parameters.too.many':
      // body-parser answers 413 here; the problem type has to agree with that status.
      return new Problem({
        status: 413,
        type: 'payload-too-large',
        title: 'The body is too large',
        detail: 'The form has too many fields',
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problems.unsupportedMediaType(error.message);
    case 'request.aborted':
    case 'request.size.invalid':
      return new Problem({ status: 400, type: 'bad-request', title: 'The body was not fully received' });
    default:
      return error.expose !== false && error.status && error.status >= 400 && error.status < 500
        ? new Problem({
            status: error.status,
            type: 'bad-request',
            title: 'The request is malformed',
            detail: error.message,
          })
        : undefined;
  }
}

/** A URL can be 16 KB; the answer names the request by its start. */
const MAX_INSTANCE_LENGTH = 256;

/** The one place where errors become application/problem+json (RFC 9457). */
export function problemHandler(bodyLimit: string): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const problem =
      error instanceof Problem ? error : (clientProblem(error, bodyLimit) ?? problems.internal());
    if (problem.status >= 500) req.log.error({ err: error }, 'request failed');
    if (problem.status === 401) res.set('WWW-Authenticate', 'Bearer');
    const retryAfter = problem.extensions.retryAfter;
    if (typeof retryAfter === 'number') res.set('Retry-After', String(retryAfter));
    res
      .status(problem.status)
      .type('application/problem+json')
      .json({ ...problem.toJSON(), instance: clip(req.originalUrl, MAX_INSTANCE_LENGTH), requestId: req.id });
  };
}

export const routeNotFound: RequestHandler = (req) => {
  throw new Problem({
    status: 404,
    type: 'not-found',
    title: 'Not found',
    detail: `No route for ${req.method} ${clip(req.path, MAX_INSTANCE_LENGTH)}`,
  });
};

/** A write whose body is not JSON is refused before it reaches a route that would misread it. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is(['application/json', 'application/*+json'])) {
    throw problems.unsupportedMediaType('Send the body as application/json');
  }
  next();
};
