import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { PaymentEvent as PaymentEventView, PaymentStatus } from '@escalable/shop-sdk';

export class Payment extends Model<InferAttributes<Payment>, InferCreationAttributes<Payment>> {
  declare id: string;
  declare orderId: string;
  declare customerId: string;
  declare idempotencyKey: string;
  declare requestHash: string;
  declare preferenceId: string;
  declare checkoutUrl: string;
  declare amount: number;
  declare currency: string;
  declare refundedAmount: CreationOptional<number>;
  declare status: CreationOptional<PaymentStatus>;
  declare providerPaymentId: CreationOptional<string | null>;
  declare expiresAt: Date;
  declare reconcileAt: Date;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class PaymentEvent extends Model<
  InferAttributes<PaymentEvent>,
  InferCreationAttributes<PaymentEvent>
> {
  declare id: CreationOptional<number>;
  declare paymentId: string;
  declare at: CreationOptional<Date>;
  declare source: PaymentEventView['source'];
  declare status: PaymentStatus;
  declare detail: string | null;
  declare providerPaymentId: string | null;
}

export class Refund extends Model<InferAttributes<Refund>, InferCreationAttributes<Refund>> {
  declare id: string;
  declare paymentId: string;
  declare idempotencyKey: string;
  declare requestHash: string;
  declare amount: number;
  declare reason: string;
  declare status: CreationOptional<'requested' | 'done'>;
  declare providerRefundId: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
}

export class WebhookEvent extends Model<
  InferAttributes<WebhookEvent>,
  InferCreationAttributes<WebhookEvent>
> {
  declare id: string;
  declare requestId: string | null;
  declare topic: string;
  declare dataId: string;
  declare body: unknown;
  declare receivedAt: CreationOptional<Date>;
  declare attempts: CreationOptional<number>;
  declare nextAttemptAt: CreationOptional<Date>;
  declare processedAt: CreationOptional<Date | null>;
  declare lastError: CreationOptional<string | null>;
}

export function defineModels(sequelize: Sequelize): void {
  Payment.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      orderId: { type: DataTypes.UUID, allowNull: false },
      customerId: { type: DataTypes.UUID, allowNull: false },
      idempotencyKey: { type: DataTypes.STRING(200), allowNull: false },
      requestHash: { type: DataTypes.CHAR(64), allowNull: false },
      preferenceId: { type: DataTypes.TEXT, allowNull: false },
      checkoutUrl: { type: DataTypes.TEXT, allowNull: false },
      amount: { type: DataTypes.INTEGER, allowNull: false },
      currency: { type: DataTypes.CHAR(3), allowNull: false },
      refundedAmount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'pending' },
      providerPaymentId: { type: DataTypes.TEXT, allowNull: true },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      reconcileAt: { type: DataTypes.DATE, allowNull: false },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'payments' },
  );
  PaymentEvent.init(
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      paymentId: { type: DataTypes.UUID, allowNull: false },
      at: { type: DataTypes.DATE },
      source: { type: DataTypes.STRING(16), allowNull: false },
      status: { type: DataTypes.STRING(20), allowNull: false },
      detail: { type: DataTypes.TEXT, allowNull: true },
      providerPaymentId: { type: DataTypes.TEXT, allowNull: true },
    },
    { sequelize, tableName: 'payment_events', timestamps: false },
  );
  Refund.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      paymentId: { type: DataTypes.UUID, allowNull: false },
      idempotencyKey: { type: DataTypes.STRING(200), allowNull: false },
      requestHash: { type: DataTypes.CHAR(64), allowNull: false },
      amount: { type: DataTypes.INTEGER, allowNull: false },
      reason: { type: DataTypes.TEXT, allowNull: false },
      status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'requested' },
      providerRefundId: { type: DataTypes.TEXT, allowNull: true },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'refunds', updatedAt: false },
  );
  WebhookEvent.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      requestId: { type: DataTypes.TEXT, allowNull: true },
      topic: { type: DataTypes.TEXT, allowNull: false },
      dataId: { type: DataTypes.TEXT, allowNull: false },
      body: { type: DataTypes.JSONB, allowNull: false },
      receivedAt: { type: DataTypes.DATE },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      nextAttemptAt: { type: DataTypes.DATE },
      processedAt: { type: DataTypes.DATE, allowNull: true },
      lastError: { type: DataTypes.TEXT, allowNull: true },
    },
    { sequelize, tableName: 'webhook_events', timestamps: false },
  );
}
