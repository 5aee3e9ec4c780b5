import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { OrderStatus, ShippingAddress, VariantOptions } from '@escalable/shop-sdk';

export class Order extends Model<InferAttributes<Order>, InferCreationAttributes<Order>> {
  declare id: string;
  declare customerId: string;
  declare status: OrderStatus;
  declare currency: string;
  declare total: number;
  declare itemCount: number;
  declare shippingAddress: ShippingAddress;
  declare cartId: string;
  declare paymentId: CreationOptional<string | null>;
  declare checkoutUrl: CreationOptional<string | null>;
  declare expiresAt: Date;
  declare statusReason: CreationOptional<string | null>;
  declare refundRequested: CreationOptional<boolean>;
  declare carrier: CreationOptional<string | null>;
  declare trackingNumber: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class OrderLine extends Model<InferAttributes<OrderLine>, InferCreationAttributes<OrderLine>> {
  declare orderId: string;
  declare position: number;
  declare variantId: string;
  declare productId: string;
  declare productName: string;
  declare sku: string;
  declare options: VariantOptions;
  declare quantity: number;
  declare unitPrice: number;
}

export class OrderStatusChange extends Model<
  InferAttributes<OrderStatusChange>,
  InferCreationAttributes<OrderStatusChange>
> {
  declare id: CreationOptional<number>;
  declare orderId: string;
  declare fromStatus: OrderStatus | null;
  declare toStatus: OrderStatus;
  declare actor: string;
  declare reason: string | null;
  declare at: CreationOptional<Date>;
}

export function defineModels(sequelize: Sequelize): void {
  Order.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      customerId: { type: DataTypes.UUID, allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      currency: { type: DataTypes.CHAR(3), allowNull: false },
      total: { type: DataTypes.INTEGER, allowNull: false },
      itemCount: { type: DataTypes.INTEGER, allowNull: false },
      shippingAddress: { type: DataTypes.JSONB, allowNull: false },
      cartId: { type: DataTypes.UUID, allowNull: false },
      paymentId: { type: DataTypes.STRING(64), allowNull: true },
      checkoutUrl: { type: DataTypes.TEXT, allowNull: true },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      statusReason: { type: DataTypes.TEXT, allowNull: true },
      refundRequested: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      carrier: { type: DataTypes.STRING(100), allowNull: true },
      trackingNumber: { type: DataTypes.STRING(100), allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'orders' },
  );
  OrderLine.init(
    {
      orderId: { type: DataTypes.UUID, primaryKey: true },
      position: { type: DataTypes.SMALLINT, primaryKey: true },
      variantId: { type: DataTypes.UUID, allowNull: false },
      productId: { type: DataTypes.UUID, allowNull: false },
      productName: { type: DataTypes.TEXT, allowNull: false },
      sku: { type: DataTypes.TEXT, allowNull: false },
      options: { type: DataTypes.JSONB, allowNull: false },
      quantity: { type: DataTypes.INTEGER, allowNull: false },
      unitPrice: { type: DataTypes.INTEGER, allowNull: false },
    },
    { sequelize, tableName: 'order_lines', timestamps: false },
  );
  OrderStatusChange.init(
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      orderId: { type: DataTypes.UUID, allowNull: false },
      fromStatus: { type: DataTypes.STRING(16), allowNull: true },
      toStatus: { type: DataTypes.STRING(16), allowNull: false },
      actor: { type: DataTypes.TEXT, allowNull: false },
      reason: { type: DataTypes.TEXT, allowNull: true },
      at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
    },
    { sequelize, tableName: 'order_status_changes', timestamps: false },
  );
}
