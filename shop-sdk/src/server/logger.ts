import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Secrets that may sit in a logged object; pino replaces them before the line is written. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-cart-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
];

export interface LoggerOptions {
  /** Where lines go instead of stdout (tests that read what was logged). */
  destination?: DestinationStream;
  /** The service's own secrets, as pino redaction paths, on top of the ones every service has. */
  redact?: string[];
}

/** How deep a chain of causes is followed in a log line. */
const MAX_CAUSES = 4;

/** What PostgreSQL's errors (through pg) say about where they failed; none of it holds row values. */
const DATABASE_FIELDS = ['code', 'constraint', 'table', 'column'] as const;
type DatabaseFault = Partial<Record<(typeof DATABASE_FIELDS)[number], unknown>>;

export interface LoggedError {
  type: string;
  message: string;
  stack?: string;
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  cause?: LoggedError;
}

/**
 * Errors as a log line shows them: type, message, stack, and the cause that explains them (a
 * Sequelize error's `original` PostgreSQL error with its code and constraint, or `cause`). Only
 * these fields are copied: a database error also carries the SQL's bound values and PostgreSQL's
 * `detail` ("Key (email)=(…) already exists"), which may be personal data.
 */
export function serializeError(value: unknown, depth = 0): unknown {
  // pino-http hands custom serializers pino's own rendering, which keeps the error as `raw`.
  const error = (value as { raw?: unknown } | null)?.raw ?? value;
  if (!(error instanceof Error)) return error;
  const fault = error as Error & DatabaseFault & { original?: unknown; parent?: unknown };
  const cause = fault.original ?? fault.parent ?? fault.cause;
  const logged: LoggedError = {
    type: error.constructor?.name ?? error.name,
    message: error.message,
    stack: error.stack,
  };
  for (const key of DATABASE_FIELDS) {
    const field = fault[key];
    if (typeof field === 'string' || typeof field === 'number') logged[key] = String(field);
  }
  if (cause instanceof Error && depth < MAX_CAUSES)
    logged.cause = serializeError(cause, depth + 1) as LoggedError;
  return logged;
}

/** JSON lines on stdout, or on a destination (tests that read what was logged). */
export function createLogger(
  service: string,
  level: string,
  destinationOrOptions?: DestinationStream | LoggerOptions,
): Logger {
  const { destination, redact = [] }: LoggerOptions =
    destinationOrOptions && 'write' in destinationOrOptions
      ? { destination: destinationOrOptions }
      : (destinationOrOptions ?? {});
  const options = {
    name: service,
    level,
    redact: { paths: [...REDACTED_PATHS, ...redact], censor: '[redacted]' },
    serializers: { err: serializeError },
  };
  return destination ? pino(options, destination) : pino(options);
}
