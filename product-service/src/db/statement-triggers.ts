type StatementEvent = 'insert' | 'update' | 'delete';

const EVERY_EVENT: StatementEvent[] = ['insert', 'update', 'delete'];

/** The transition tables each event gives: the rows a statement wrote, and those it replaced or removed. */
const TRANSITION_TABLES: Record<StatementEvent, string> = {
  insert: 'NEW TABLE AS new_rows',
  update: 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
  delete: 'OLD TABLE AS old_rows',
};

/**
 * SQL creating the trigger `${name}_${event}` for each of `events`, which runs the trigger function `fn`
 * after each such statement on `table`, with the rows it wrote as `new_rows` and the rows it replaced or
 * removed as `old_rows`. Statement triggers of one table and event fire in the order of their names.
 */
export function createStatementTriggers(
  name: string,
  table: string,
  fn: string,
  events: StatementEvent[] = EVERY_EVENT,
): string {
  return events
    .map(
      (event) => `CREATE TRIGGER ${name}_${event} AFTER ${event.toUpperCase()} ON ${table}
      REFERENCING ${TRANSITION_TABLES[event]} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();`,
    )
    .join('\n    ');
}

/** SQL dropping what {@link createStatementTriggers} created. */
export function dropStatementTriggers(
  name: string,
  table: string,
  events: StatementEvent[] = EVERY_EVENT,
): string {
  return events.map((event) => `DROP TRIGGER ${name}_${event} ON ${table};`).join('\n    ');
}
