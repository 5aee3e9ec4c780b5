import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import type {
  ProductAttributes,
  ProductStatus,
  ReservationStatus,
  StockMovementReason,
  VariantOptions,
  VariantStatus,
} from '@escalable/shop-sdk';

export class Category extends Model<InferAttributes<Category>, InferCreationAttributes<Category>> {
  declare id: string;
  declare parentId: string | null;
  declare name: string;
  declare slug: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class Product extends Model<InferAttributes<Product>, InferCreationAttributes<Product>> {
  declare id: string;
  declare name: string;
  declare slug: string;
  declare description: string;
  declare images: string[];
  declare attributes: ProductAttributes;
  declare status: ProductStatus;
  declare currency: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare variants?: NonAttribute<Variant[]>;
  declare categories?: NonAttribute<Category[]>;
}

export class ProductCategory extends Model<
  InferAttributes<ProductCategory>,
  InferCreationAttributes<ProductCategory>
> {
  declare productId: string;
  declare categoryId: string;
}

/** `onHand` and `reserved` change only through db/stock-ledger.ts, which writes the ledger with them. */
export class Variant extends Model<InferAttributes<Variant>, InferCreationAttributes<Variant>> {
  declare id: string;
  declare productId: string;
  declare sku: string;
  declare options: VariantOptions;
  declare price: number;
  declare currency: string;
  declare status: VariantStatus;
  declare position: number;
  declare onHand: CreationOptional<number>;
  declare reserved: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare product?: NonAttribute<Product>;
}

export class Reservation extends Model<InferAttributes<Reservation>, InferCreationAttributes<Reservation>> {
  declare orderId: string;
  declare status: ReservationStatus;
  declare expiresAt: Date;
  declare createdBy: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare items?: NonAttribute<ReservationItem[]>;
}

export class ReservationItem extends Model<
  InferAttributes<ReservationItem>,
  InferCreationAttributes<ReservationItem>
> {
  declare orderId: string;
  declare variantId: string;
  declare quantity: number;
}

export class StockMovement extends Model<
  InferAttributes<StockMovement>,
  InferCreationAttributes<StockMovement>
> {
  declare id: CreationOptional<string>;
  declare variantId: string;
  declare reason: StockMovementReason;
  declare deltaOnHand: number;
  declare deltaReserved: number;
  declare orderId: string | null;
  declare actor: string;
  declare note: string | null;
  declare createdAt: CreationOptional<Date>;
}

const slug = { type: DataTypes.STRING(120), allowNull: false };

export function defineModels(sequelize: Sequelize): void {
  Category.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      parentId: { type: DataTypes.UUID, allowNull: true },
      name: { type: DataTypes.STRING(100), allowNull: false },
      slug,
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'categories' },
  );
  Product.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      name: { type: DataTypes.STRING(200), allowNull: false },
      slug,
      description: { type: DataTypes.TEXT, allowNull: false },
      images: { type: DataTypes.JSONB, allowNull: false },
      attributes: { type: DataTypes.JSONB, allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      currency: { type: DataTypes.CHAR(3), allowNull: false },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'products' },
  );
  ProductCategory.init(
    {
      productId: { type: DataTypes.UUID, primaryKey: true },
      categoryId: { type: DataTypes.UUID, primaryKey: true },
    },
    { sequelize, tableName: 'product_categories', timestamps: false },
  );
  Variant.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      productId: { type: DataTypes.UUID, allowNull: false },
      sku: { type: DataTypes.STRING(64), allowNull: false },
      options: { type: DataTypes.JSONB, allowNull: false },
      price: { type: DataTypes.INTEGER, allowNull: false },
      currency: { type: DataTypes.CHAR(3), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      position: { type: DataTypes.SMALLINT, allowNull: false },
      onHand: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      reserved: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'variants' },
  );
  Reservation.init(
    {
      orderId: { type: DataTypes.STRING(64), primaryKey: true },
      status: { type: DataTypes.STRING(16), allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      createdBy: { type: DataTypes.STRING(120), allowNull: false },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'reservations' },
  );
  ReservationItem.init(
    {
      orderId: { type: DataTypes.STRING(64), primaryKey: true },
      variantId: { type: DataTypes.UUID, primaryKey: true },
      quantity: { type: DataTypes.INTEGER, allowNull: false },
    },
    { sequelize, tableName: 'reservation_items', timestamps: false },
  );
  StockMovement.init(
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      variantId: { type: DataTypes.UUID, allowNull: false },
      reason: { type: DataTypes.STRING(16), allowNull: false },
      deltaOnHand: { type: DataTypes.INTEGER, allowNull: false },
      deltaReserved: { type: DataTypes.INTEGER, allowNull: false },
      orderId: { type: DataTypes.STRING(64), allowNull: true },
      actor: { type: DataTypes.STRING(120), allowNull: false },
      note: { type: DataTypes.STRING(500), allowNull: true },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'stock_movements', updatedAt: false },
  );
  Product.hasMany(Variant, { as: 'variants', foreignKey: 'productId' });
  Variant.belongsTo(Product, { as: 'product', foreignKey: 'productId' });
  Product.belongsToMany(Category, {
    as: 'categories',
    through: ProductCategory,
    foreignKey: 'productId',
    otherKey: 'categoryId',
  });
  Reservation.hasMany(ReservationItem, { as: 'items', foreignKey: 'orderId' });
}
