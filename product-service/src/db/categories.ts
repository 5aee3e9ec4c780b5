import { QueryTypes, type Transaction } from 'sequelize';
import { Category } from './models.js';

/** The ids of a category, found by its id or by its slug, and of every category below it; none if it is not there. */
export async function categorySubtreeIds(by: 'id' | 'slug', key: string): Promise<string[]> {
  const rows = await Category.sequelize!.query<{ id: string }>(
    `WITH RECURSIVE subtree (id) AS (
       SELECT id FROM categories WHERE ${by === 'id' ? 'id' : 'slug'} = $start
       UNION
       SELECT child.id FROM categories child JOIN subtree ON child.parent_id = subtree.id
     )
     SELECT id FROM subtree`,
    { bind: { start: key }, type: QueryTypes.SELECT },
  );
  return rows.map((row) => row.id);
}

/** Whether `candidateId` is `rootId` or a category below it. */
export async function isWithinSubtree(
  candidateId: string,
  rootId: string,
  transaction: Transaction,
): Promise<boolean> {
  const rows = await Category.sequelize!.query<{ id: string }>(
    `WITH RECURSIVE subtree (id) AS (
       SELECT $root::uuid
       UNION
       SELECT child.id FROM categories child JOIN subtree ON child.parent_id = subtree.id
     )
     SELECT id FROM subtree WHERE id = $candidate`,
    { bind: { root: rootId, candidate: candidateId }, type: QueryTypes.SELECT, transaction },
  );
  return rows.length > 0;
}

/**
 * Holds the whole category tree until the transaction ends. Tree changes are rare; serialising them
 * keeps two concurrent moves from closing a cycle that neither would make alone.
 */
export async function lockCategoryTree(transaction: Transaction): Promise<void> {
  await Category.sequelize!.query("SELECT pg_advisory_xact_lock(hashtext('categories'))", { transaction });
}

/**
 * Holds these category rows FOR KEY SHARE until the transaction ends, and returns the ids found. The
 * lock keeps a concurrent delete from removing a category between this read and a link to it (the
 * delete waits, then finds the category holds a product), while other product writes share it.
 */
export async function lockCategoryRows(ids: string[], transaction: Transaction): Promise<string[]> {
  const found = await Category.findAll({
    attributes: ['id'],
    where: { id: ids },
    lock: transaction.LOCK.KEY_SHARE,
    transaction,
  });
  return found.map((category) => category.id);
}
