import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type {
  DeliveryStatus,
  NotificationChannel,
  NotificationLocale,
  NotificationType,
} from '@escalable/shop-sdk';

/** A recipient given by address rather than as a user of the shop. */
export interface BareAddress {
  email?: string;
  phone?: string;
  name?: string;
}

export class Notification extends Model<
  InferAttributes<Notification>,
  InferCreationAttributes<Notification>
> {
  declare id: string;
  declare idempotencyKey: string;
  declare requestHash: string;
  declare caller: string;
  declare type: NotificationType;
  declare userId: string | null;
  declare address: BareAddress | null;
  declare channels: NotificationChannel[];
  declare data: Record<string, unknown>;
  declare locale: NotificationLocale | null;
  declare createdAt: CreationOptional<Date>;
}

export class Delivery extends Model<InferAttributes<Delivery>, InferCreationAttributes<Delivery>> {
  declare id: string;
  declare notificationId: string;
  declare channel: NotificationChannel;
  declare status: DeliveryStatus;
  declare recipient: CreationOptional<string | null>;
  declare attempts: CreationOptional<number>;
  declare nextAttemptAt: Date | null;
  declare lastError: CreationOptional<string | null>;
  declare providerId: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function defineModels(sequelize: Sequelize): void {
  Notification.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      idempotencyKey: { type: DataTypes.STRING(200), allowNull: false },
      requestHash: { type: DataTypes.CHAR(64), allowNull: false },
      caller: { type: DataTypes.STRING(64), allowNull: false },
      type: { type: DataTypes.STRING(32), allowNull: false },
      userId: { type: DataTypes.UUID, allowNull: true },
      address: { type: DataTypes.JSONB, allowNull: true },
      channels: { type: DataTypes.ARRAY(DataTypes.STRING(8)), allowNull: false },
      data: { type: DataTypes.JSONB, allowNull: false },
      locale: { type: DataTypes.STRING(2), allowNull: true },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'notifications', updatedAt: false, underscored: true },
  );
  Delivery.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      notificationId: { type: DataTypes.UUID, allowNull: false },
      channel: { type: DataTypes.STRING(8), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      recipient: { type: DataTypes.STRING(320), allowNull: true },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      nextAttemptAt: { type: DataTypes.DATE, allowNull: true },
      lastError: { type: DataTypes.STRING(500), allowNull: true },
      providerId: { type: DataTypes.STRING(255), allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'deliveries', underscored: true },
  );
}
