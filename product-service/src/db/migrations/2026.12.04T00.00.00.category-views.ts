import type { Migration } from '@escalable/shop-sdk/server';

/** The function writing `view_json` as this migration defines it (view-heads' down restores it). */
export const writeCategoryViewFunction = `
    CREATE OR REPLACE FUNCTION categories_write_view() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.view_json := json_build_object(
        'id', NEW.id, 'name', NEW.name, 'slug', NEW.slug, 'parentId', NEW.parent_id)::text;
      RETURN NEW;
    END;
    $$;
`;

/**
 * Each category keeps the JSON a product shows of it, written by a row trigger like the products' and
 * variants' views (stored-views). A page of 20 built these objects for every product's categories each
 * time, a sixth of its statement's PostgreSQL time (0.83–0.86 ms against 0.70–0.71 ms per page of
 * `category=…&sort=price` at 50 000 products, one backend, 2 000 runs each).
 */
export const up: Migration = async ({ context }) => {
  await context.sequelize.query(`
    ALTER TABLE categories ADD COLUMN view_json text;

    ${writeCategoryViewFunction}

    CREATE TRIGGER categories_view BEFORE INSERT OR UPDATE ON categories
      FOR EACH ROW EXECUTE FUNCTION categories_write_view();

    UPDATE categories SET view_json = NULL;
    ALTER TABLE categories ALTER COLUMN view_json SET NOT NULL;
  `);
};

export const down: Migration = async ({ context }) => {
  await context.sequelize.query(`
    DROP TRIGGER categories_view ON categories;
    DROP FUNCTION categories_write_view();
    ALTER TABLE categories DROP COLUMN view_json;
  `);
};
