import { DatabaseError, UniqueConstraintError } from 'sequelize';
import type { Problem } from '../problem.js';

/** A constraint a client can run into, by its name in the schema, and the Problem it means to them. */
export type ConstraintProblems = Record<string, () => Problem>;

export interface ConstraintProblemTable {
  /** Unique, check and foreign-key constraints (the latter when a row still pointed at is deleted). */
  conflicts: ConstraintProblems;
  /** Foreign keys violated by a write that points at a row that is not there (or went meanwhile). */
  missing?: ConstraintProblems;
}

const FOREIGN_KEY_VIOLATION = '23503';

function problemFor(error: unknown, table: ConstraintProblemTable): Problem | undefined {
  if (!(error instanceof UniqueConstraintError || error instanceof DatabaseError)) return undefined;
  const cause = error.parent as { code?: string; constraint?: string; message: string };
  const constraint = cause.constraint ?? '';
  // A foreign key fails either on a write pointing at a missing row or on deleting a row still
  // pointed at; PostgreSQL names the same constraint for both, and only its message tells them apart.
  if (cause.code === FOREIGN_KEY_VIOLATION && !cause.message.startsWith('update or delete')) {
    return table.missing?.[constraint]?.();
  }
  return table.conflicts[constraint]?.();
}

/**
 * Checking before writing leaves a race between the check and the write; the database decides
 * instead, and this names its verdict. Returns a runner for database work that turns a violated
 * constraint of the table into its Problem and lets every other error through.
 */
export function constraintProblems(table: ConstraintProblemTable): <T>(work: () => Promise<T>) => Promise<T> {
  return async (work) => {
    try {
      return await work();
    } catch (error) {
      throw problemFor(error, table) ?? error;
    }
  };
}
