import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { CartMergeReport, CartStatus } from '@escalable/shop-sdk';

export class Cart extends Model<InferAttributes<Cart>, InferCreationAttributes<Cart>> {
  declare id: string;
  declare customerId: string | null;
  declare tokenHash: string | null;
  declare status: CreationOptional<CartStatus>;
  declare orderId: CreationOptional<string | null>;
  declare mergedIntoCustomer: CreationOptional<string | null>;
  declare mergeReport: CreationOptional<CartMergeReport | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare lastActiveAt: CreationOptional<Date>;
}

export class CartLine extends Model<InferAttributes<CartLine>, InferCreationAttributes<CartLine>> {
  declare cartId: string;
  declare variantId: string;
  declare quantity: number;
  declare unitPrice: number;
  declare currency: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function defineModels(sequelize: Sequelize): void {
  Cart.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      customerId: { type: DataTypes.UUID, allowNull: true },
      tokenHash: { type: DataTypes.CHAR(64), allowNull: true },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'active' },
      orderId: { type: DataTypes.STRING(64), allowNull: true },
      mergedIntoCustomer: { type: DataTypes.UUID, allowNull: true },
      mergeReport: { type: DataTypes.JSONB, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
      lastActiveAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
    },
    { sequelize, tableName: 'carts' },
  );
  CartLine.init(
    {
      cartId: { type: DataTypes.UUID, primaryKey: true },
      variantId: { type: DataTypes.UUID, primaryKey: true },
      quantity: { type: DataTypes.INTEGER, allowNull: false },
      unitPrice: { type: DataTypes.INTEGER, allowNull: false },
      currency: { type: DataTypes.CHAR(3), allowNull: false },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'cart_lines' },
  );
}
