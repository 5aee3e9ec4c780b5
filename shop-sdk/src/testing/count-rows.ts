import type { Sequelize } from 'sequelize';

const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * How many rows of `table` match: all of them, those equal to every value of a `where` object
 * (`{ user_id: id }`), or those a SQL condition selects with `$name` bind parameters
 * (`countRows(db, 'refresh_tokens', 'user_id = $id AND revoked_at IS NULL', { id })`).
 */
export async function countRows(
  database: Sequelize | { sequelize: Sequelize },
  table: string,
  where?: string | Record<string, unknown>,
  bind: Record<string, unknown> = {},
): Promise<number> {
  if (!TABLE_NAME.test(table)) throw new Error(`countRows: "${table}" is not a table name`);
  const sequelize = 'sequelize' in database ? database.sequelize : database;
  let condition = typeof where === 'string' ? where : 'true';
  if (typeof where === 'object') {
    const columns = Object.keys(where);
    for (const column of columns) {
      if (!TABLE_NAME.test(column)) throw new Error(`countRows: "${column}" is not a column name`);
    }
    condition = columns.map((column) => `"${column}" = $${column}`).join(' AND ') || 'true';
    bind = where;
  }
  const [rows] = await sequelize.query(`SELECT count(*)::int AS count FROM "${table}" WHERE ${condition}`, {
    bind,
  });
  return (rows as Array<{ count: number }>)[0]!.count;
}
