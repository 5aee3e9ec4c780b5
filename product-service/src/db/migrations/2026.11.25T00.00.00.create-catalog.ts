import type { Migration } from '@escalable/shop-sdk/server';

// One multi-statement query runs as one transaction in PostgreSQL: the schema appears whole or not at all.
export const up: Migration = async ({ context }) => {
  await context.sequelize.query(`
    CREATE TABLE categories (
      id uuid PRIMARY KEY,
      -- RESTRICT: a category with subcategories is never deleted from under them.
      parent_id uuid REFERENCES categories (id) ON DELETE RESTRICT,
      name varchar(100) NOT NULL,
      slug varchar(120) NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (parent_id <> id)
    );
    CREATE UNIQUE INDEX categories_slug_unique ON categories (slug);
    CREATE INDEX categories_parent ON categories (parent_id);

    CREATE TABLE products (
      id uuid PRIMARY KEY,
      name varchar(200) NOT NULL,
      slug varchar(120) NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      description text NOT NULL DEFAULT '',
      images jsonb NOT NULL DEFAULT '[]',
      attributes jsonb NOT NULL DEFAULT '{}',
      status varchar(16) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archived')),
      -- Fixed when the product is created; the variants' foreign key below holds them to it.
      currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      -- 'simple' rather than a language: the shop sells in Spanish and English, and stemming one
      -- language would mangle the other. Names weigh more than descriptions in the ranking.
      search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', name), 'A') || setweight(to_tsvector('simple', description), 'B')
      ) STORED,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (id, currency)
    );
    CREATE UNIQUE INDEX products_slug_unique ON products (slug);
    CREATE INDEX products_search ON products USING gin (search_vector);
    CREATE INDEX products_status_created ON products (status, created_at DESC, id);
    CREATE INDEX products_status_name ON products (status, lower(name), id);

    CREATE TABLE product_categories (
      product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
      -- RESTRICT: deleting a category that still holds products is refused by the database too.
      category_id uuid NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
      PRIMARY KEY (product_id, category_id)
    );
    CREATE INDEX product_categories_category ON product_categories (category_id);

    CREATE TABLE variants (
      id uuid PRIMARY KEY,
      product_id uuid NOT NULL,
      sku varchar(64) NOT NULL,
      options jsonb NOT NULL DEFAULT '{}',
      price integer NOT NULL CHECK (price >= 0),
      currency char(3) NOT NULL,
      status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
      position smallint NOT NULL,
      on_hand integer NOT NULL DEFAULT 0,
      reserved integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      -- A variant's currency is its product's: one product is never priced in two currencies.
      FOREIGN KEY (product_id, currency) REFERENCES products (id, currency) ON DELETE CASCADE,
      -- The last line of defence against overselling, whatever the code above it does.
      CONSTRAINT variants_stock_bounds CHECK (reserved >= 0 AND reserved <= on_hand)
    );
    -- SKUs are unique whatever their letter case.
    CREATE UNIQUE INDEX variants_sku_unique ON variants (upper(sku));
    CREATE INDEX variants_product ON variants (product_id, position);
    CREATE INDEX variants_product_price ON variants (product_id, price) WHERE status = 'active';

    CREATE TABLE reservations (
      -- One reservation per order is what makes reserve idempotent.
      order_id varchar(64) PRIMARY KEY,
      status varchar(16) NOT NULL CHECK (status IN ('active', 'committed', 'released', 'expired')),
      expires_at timestamptz NOT NULL,
      created_by varchar(120) NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX reservations_expiry ON reservations (expires_at) WHERE status = 'active';

    CREATE TABLE reservation_items (
      order_id varchar(64) NOT NULL REFERENCES reservations (order_id) ON DELETE CASCADE,
      variant_id uuid NOT NULL REFERENCES variants (id),
      quantity integer NOT NULL CHECK (quantity > 0),
      PRIMARY KEY (order_id, variant_id)
    );
    CREATE INDEX reservation_items_variant ON reservation_items (variant_id);

    -- Every change to on_hand or reserved, so stock can be audited and rebuilt: for each variant,
    -- sum(delta_on_hand) = on_hand and sum(delta_reserved) = reserved.
    CREATE TABLE stock_movements (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      variant_id uuid NOT NULL REFERENCES variants (id),
      reason varchar(16) NOT NULL
        CHECK (reason IN ('initial', 'adjustment', 'reserve', 'commit', 'release', 'expire')),
      delta_on_hand integer NOT NULL,
      delta_reserved integer NOT NULL,
      order_id varchar(64),
      actor varchar(120) NOT NULL,
      note varchar(500),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX stock_movements_variant ON stock_movements (variant_id, id);
    CREATE INDEX stock_movements_order ON stock_movements (order_id) WHERE order_id IS NOT NULL;
  `);
};

export const down: Migration = async ({ context }) => {
  await context.sequelize.query(
    'DROP TABLE stock_movements, reservation_items, reservations, variants, product_categories, products, categories',
  );
};
