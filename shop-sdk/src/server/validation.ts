import type { z } from 'zod';
import { problems } from '../problem.js';

export type InputPart = 'body' | 'query' | 'params' | 'header';

/** Parses one part of a request with its schema, or throws a 400 Problem naming each failing field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, part: InputPart): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw problems.validation(
    result.error.issues.map((issue) => ({
      in: part,
      name:
        issue.code === 'unrecognized_keys'
          ? [...issue.path, issue.keys.join(',')].join('.')
          : issue.path.join('.') || '(root)',
      reason: issue.code === 'unrecognized_keys' ? 'is not an accepted field' : issue.message,
    }))
  );
}
