export { runWithRequestContext, currentRequestId } from './request-context.js';
export type { RequestContext } from './request-context.js';
export { HttpClient } from './http/client.js';
export type { HttpClientOptions, HttpMethod, HttpResponse, RequestOptions } from './http/client.js';
export {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  createTokenVerifier,
  keyIdOf,
  signAccessToken,
} from './auth/access-token.js';
export type { AccessClaims, SigningKey, TokenVerifier, TokenVerifierOptions } from './auth/access-token.js';
export {
  isServiceName,
  SERVICE_NAMES,
  SERVICE_TOKEN_MAX_LIFETIME_SECONDS,
  serviceTokenSigner,
  verifyServiceToken,
} from './auth/service-token.js';
export type { ServiceName } from './auth/service-token.js';
export { internalHttpClient } from './clients/internal/service-http.js';
export type { InternalClientOptions } from './clients/internal/service-http.js';
export { UserServiceClient } from './clients/internal/user-service.js';
export { ProductServiceClient } from './clients/internal/product-service.js';
export { CartServiceClient } from './clients/internal/cart-service.js';
export { NotificationServiceClient } from './clients/internal/notification-service.js';
export { PaymentServiceClient } from './clients/internal/payment-service.js';
export { OrderServiceClient } from './clients/internal/order-service.js';
