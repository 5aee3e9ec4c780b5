import {
  col,
  DataTypes,
  fn,
  Model,
  where,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import type { Locale, Role } from '@escalable/shop-sdk';

/** Finds a user by e-mail through the unique index on lower(email), which a plain `email = …` would miss. */
export const emailIs = (email: string) => where(fn('lower', col('email')), email.trim().toLowerCase());

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: string;
  declare email: string;
  declare name: string;
  declare phone: string | null;
  declare locale: Locale;
  declare passwordHash: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare roles?: NonAttribute<UserRole[]>;
  declare shippingAddresses?: NonAttribute<ShippingAddress[]>;
}

export class UserRole extends Model<InferAttributes<UserRole>, InferCreationAttributes<UserRole>> {
  declare userId: ForeignKey<string>;
  declare role: Role;
}

export class ShippingAddress extends Model<
  InferAttributes<ShippingAddress>,
  InferCreationAttributes<ShippingAddress>
> {
  declare id: string;
  declare userId: ForeignKey<string>;
  declare position: number;
  declare label: string | null;
  declare recipient: string;
  declare line1: string;
  declare line2: string | null;
  declare city: string;
  declare region: string | null;
  declare postalCode: string;
  declare country: string;
  declare phone: string | null;
  declare isDefault: boolean;
}

export function defineModels(sequelize: Sequelize): void {
  User.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      email: { type: DataTypes.STRING(254), allowNull: false },
      name: { type: DataTypes.STRING(100), allowNull: false },
      phone: { type: DataTypes.STRING(20), allowNull: true },
      locale: { type: DataTypes.STRING(2), allowNull: false },
      passwordHash: { type: DataTypes.TEXT, allowNull: false },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'users' },
  );
  UserRole.init(
    {
      userId: { type: DataTypes.UUID, primaryKey: true },
      role: { type: DataTypes.STRING(32), primaryKey: true },
    },
    { sequelize, tableName: 'user_roles', timestamps: false },
  );
  ShippingAddress.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      position: { type: DataTypes.SMALLINT, allowNull: false },
      label: DataTypes.STRING(50),
      recipient: { type: DataTypes.STRING(100), allowNull: false },
      line1: { type: DataTypes.STRING(200), allowNull: false },
      line2: DataTypes.STRING(200),
      city: { type: DataTypes.STRING(100), allowNull: false },
      region: DataTypes.STRING(100),
      postalCode: { type: DataTypes.STRING(20), allowNull: false },
      country: { type: DataTypes.CHAR(2), allowNull: false },
      phone: DataTypes.STRING(20),
      isDefault: { type: DataTypes.BOOLEAN, allowNull: false },
    },
    { sequelize, tableName: 'shipping_addresses', timestamps: false },
  );
  User.hasMany(UserRole, { as: 'roles', foreignKey: 'userId' });
  User.hasMany(ShippingAddress, { as: 'shippingAddresses', foreignKey: 'userId' });
}
