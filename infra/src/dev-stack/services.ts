import { existsSync } from 'node:fs';
import path from 'node:path';
import type { UpstreamName } from '@escalable/gateway/render';

export interface ServiceSpec {
  /** Folder name in the checkout, e.g. `user-service`. */
  name: string;
  upstream: UpstreamName;
  /** Port of instance #1; instance #n listens on firstPort + n - 1. */
  firstPort: number;
  database: string;
}

/** Every service of the shop; those whose folder has src/server.ts join the dev stack. */
export const SERVICES: readonly ServiceSpec[] = [
  { name: 'user-service', upstream: 'user_service', firstPort: 4101, database: 'shop_user' },
  { name: 'product-service', upstream: 'product_service', firstPort: 4201, database: 'shop_product' },
  { name: 'cart-service', upstream: 'cart_service', firstPort: 4301, database: 'shop_cart' },
  { name: 'order-service', upstream: 'order_service', firstPort: 4401, database: 'shop_order' },
  { name: 'payment-service', upstream: 'payment_service', firstPort: 4501, database: 'shop_payment' },
  {
    name: 'notification-service',
    upstream: 'notification_service',
    firstPort: 4601,
    database: 'shop_notification',
  },
];

const INSTANCES_PER_SERVICE = 2;

export interface Instance {
  service: ServiceSpec;
  /** `user-service#1`: the prefix of its log lines. */
  name: string;
  cwd: string;
  port: number;
  url: string;
}

export function presentServices(servicesRoot: string): ServiceSpec[] {
  return SERVICES.filter((service) => existsSync(path.join(servicesRoot, service.name, 'src', 'server.ts')));
}

export function instancesOf(
  services: readonly ServiceSpec[],
  servicesRoot: string,
  portOffset: number,
): Instance[] {
  return services.flatMap((service) =>
    Array.from({ length: INSTANCES_PER_SERVICE }, (_, i) => {
      const port = service.firstPort + portOffset + i;
      return {
        service,
        name: `${service.name}#${i + 1}`,
        cwd: path.join(servicesRoot, service.name),
        port,
        url: `http://127.0.0.1:${port}`,
      };
    }),
  );
}

export interface StackSettings {
  databaseUrl: (database: string) => string;
  serviceSecret: string;
  jwtPrivateKey: string;
  admin: { email: string; password: string };
  logLevel: string;
  /** user-service's REGISTRATIONS_PER_IP: every sign-up through the gateway comes from 127.0.0.1. */
  registrationsPerIp: number;
  /** Provider settings by service folder: notification-service's SMTP and Twilio, payment-service's MercadoPago. */
  providerEnv: Record<string, Record<string, string>>;
}

/** The environment of one instance: the service contract, plus every running service's URLs. */
export function instanceEnv(
  instance: Instance,
  all: readonly Instance[],
  settings: StackSettings,
): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(instance.port),
    DATABASE_URL: settings.databaseUrl(instance.service.database),
    LOG_LEVEL: settings.logLevel,
    SERVICE_SECRET: settings.serviceSecret,
    TRUST_PROXY: 'loopback',
  };
  // USER_SERVICE_URL=http://127.0.0.1:4101,http://127.0.0.1:4102 and so on: the SDK client balances.
  for (const service of new Set(all.map((other) => other.service))) {
    const variable = `${service.name.replace('-service', '').toUpperCase()}_SERVICE_URL`;
    env[variable] = all
      .filter((other) => other.service === service)
      .map((other) => other.url)
      .join(',');
  }
  const userServices = all.filter((other) => other.service.name === 'user-service');
  if (instance.service.name === 'user-service') {
    env.JWT_PRIVATE_KEY = settings.jwtPrivateKey;
    env.ADMIN_EMAIL = settings.admin.email;
    env.ADMIN_PASSWORD = settings.admin.password;
    env.REGISTRATIONS_PER_IP = String(settings.registrationsPerIp);
  } else if (userServices.length > 0) {
    env.JWKS_URL = userServices.map((other) => `${other.url}/.well-known/jwks.json`).join(',');
  }
  if (instance.service.name === 'order-service') {
    // Here every process shares two cores: in a burst of checkouts a cart read can queue past the
    // 5 s default, and the client's circuit breaker would then turn buyers away with 503s.
    env.UPSTREAM_TIMEOUT_MS = '10000';
  }
  Object.assign(env, settings.providerEnv[instance.service.name]);
  return env;
}
