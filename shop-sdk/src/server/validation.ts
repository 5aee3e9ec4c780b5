import { z } from 'zod';
import { problems, type InvalidParam } from '../problem.js';

export type InputPart = 'body' | 'query' | 'params' | 'header';

// PostgreSQL refuses NUL in text and jsonb, and the other C0 controls are never part of a name, an
// address or a description a person typed; tab, line feed and carriage return are.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * Parses one part of a request with its schema, or throws a 400 Problem naming each failing field.
 * `name` names a part that is a single value, such as one path parameter (`parseInput(uuid, req.params.id,
 * 'params', 'id')`), so the problem can say which.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: InputPart,
  name?: string,
): z.output<S> {
  const prefix = name === undefined ? [] : [name];
  const controls = controlCharacterPaths(value, prefix);
  if (controls.length > 0) {
    throw problems.validation(
      controls.map((path) => ({
        in: part,
        name: nameOf(path),
        reason: 'must not contain control characters',
      })),
    );
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw problems.validation(
    result.error.issues.map((issue): InvalidParam => ({
      in: part,
      name:
        issue.code === 'unrecognized_keys'
          ? nameOf([...prefix, ...issue.path, issue.keys.join(',')])
          : nameOf([...prefix, ...issue.path]),
      reason: issue.code === 'unrecognized_keys' ? 'is not an accepted field' : issue.message,
    })),
  );
}

function nameOf(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.') || '(root)';
}

/** Where in a parsed JSON value (or query object) a string or a key holds a control character. */
function controlCharacterPaths(value: unknown, path: PropertyKey[]): PropertyKey[][] {
  if (typeof value === 'string') return CONTROL_CHARACTER.test(value) ? [path] : [];
  if (Array.isArray(value))
    return value.flatMap((item, index) => controlCharacterPaths(item, [...path, index]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      CONTROL_CHARACTER.test(key) ? [[...path, key]] : controlCharacterPaths(item, [...path, key]),
    );
  }
  return [];
}

/**
 * A whole number in a query string, digits only: `0x10`, `1e2`, `-1`, `1.5` or an empty value are
 * refused rather than coerced into something the client did not write.
 */
export function queryWholeNumber(max: number) {
  return z
    .string()
    .regex(/^\d{1,10}$/, 'must be a whole number, 0 or more')
    .transform(Number)
    .pipe(z.number().max(max));
}

/** `limit` (1 to 100, default 20) and `offset` (default 0) of every paged listing. */
export const paginationQuery = {
  limit: queryWholeNumber(100).pipe(z.number().min(1)).default(20),
  offset: queryWholeNumber(1_000_000).default(0),
};
