import type { Request } from 'express';
import { z } from 'zod';
import { MAX_INVALID_PARAMS, problems, type InvalidParam } from '../problem.js';
import { assertAcceptableInput, nameOf, type InputPart } from './input-walk.js';

export type { InputPart };

/**
 * Parses one part of a request with its schema, or throws a 400 Problem naming each failing field
 * (the first few). `name` names a part that is a single value, such as one path parameter
 * (`parseInput(uuid, req.params.id, 'params', 'id')`), so the problem can say which. The value is
 * first checked by {@link assertAcceptableInput} (depth, control characters, surrogates, `__proto__`).
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: InputPart,
  name?: string,
): z.output<S> {
  const prefix = name === undefined ? [] : [name];
  assertAcceptableInput(value, part, prefix);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw problems.validation(
    result.error.issues.slice(0, MAX_INVALID_PARAMS + 1).map((issue): InvalidParam => ({
      in: part,
      name:
        issue.code === 'unrecognized_keys'
          ? nameOf([...prefix, ...issue.path, issue.keys.join(',')])
          : nameOf([...prefix, ...issue.path]),
      reason: issue.code === 'unrecognized_keys' ? 'is not an accepted field' : issue.message,
    })),
  );
}

/** A path parameter read with its schema; a refusal names the parameter (`id`, `variantId`). */
export function pathParam<S extends z.ZodType>(req: Request, name: string, schema: S): z.output<S> {
  return parseInput(schema, req.params[name], 'params', name);
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
