export { clip, Problem, problems, PROBLEM_TYPE_BASE } from './problem.js';
export type { ProblemDetails, ProblemExtras, ProblemInit, InvalidParam } from './problem.js';
export { ROLES, PERMISSIONS, ROLE_PERMISSIONS } from './auth/permissions.js';
export type { Role, Permission } from './auth/permissions.js';
export { ShopClient } from './clients/shop/index.js';
export type { ShopClientOptions } from './clients/shop/index.js';
export { AuthApi } from './clients/shop/auth.js';
export { UsersApi } from './clients/shop/users.js';
export { ProductsApi } from './clients/shop/products.js';
export { CategoriesApi } from './clients/shop/categories.js';
export { CartApi, CartMergingAuthApi } from './clients/shop/cart.js';
export { FetchTransport } from './http/fetch-transport.js';
export type { FetchTransportOptions } from './http/fetch-transport.js';
export type { ApiRequest, ApiResponse, ApiTransport, CallOptions, HttpMethod } from './http/api-transport.js';
export { memoryTokenStorage, localStorageTokens } from './session/token-storage.js';
export type { StoredSession, TokenStorage, WebStorage } from './session/token-storage.js';
export type { SessionKeeper } from './session/session.js';
export { PaymentsApi } from './clients/shop/payments.js';
export { OrdersApi } from './clients/shop/orders.js';
export type * from './contracts/common.js';
export type * from './contracts/users.js';
export type * from './contracts/products.js';
export type * from './contracts/catalog-import.js';
export {
  CATALOG_IMPORT_CSV_COLUMNS,
  CATALOG_IMPORT_MAX_PRODUCTS,
  CATALOG_IMPORT_MEDIA_TYPES,
} from './contracts/catalog-import.js';
export type * from './contracts/cart.js';
export { CART_LINE_LIMIT, CART_QUANTITY_LIMIT } from './contracts/cart.js';
export type * from './contracts/notifications.js';
export {
  DELIVERY_STATUSES,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_LOCALES,
  NOTIFICATION_TYPES,
} from './contracts/notifications.js';
export type * from './contracts/payments.js';
export { PAYMENT_RESULT_STATUSES, PAYMENT_STATUSES } from './contracts/payments.js';
export type * from './contracts/orders.js';
export { FULFILMENT_STATUSES, ORDER_STATUSES } from './contracts/orders.js';
