// `npm run seed`: the demo catalog into a running shop, through its gateway (GATEWAY_URL, default
// http://localhost:8080), as its admin (ADMIN_EMAIL and ADMIN_PASSWORD, default the dev stack's).
import { DEFAULT_ADMIN } from '../dev-stack/stack.js';
import { describeSeed, describeSeedFailure, seedDemoCatalog } from './seed-catalog.js';

const gatewayUrl = process.env.GATEWAY_URL || 'http://localhost:8080';
const admin = {
  email: process.env.ADMIN_EMAIL || DEFAULT_ADMIN.email,
  password: process.env.ADMIN_PASSWORD || DEFAULT_ADMIN.password,
};

try {
  console.log(describeSeed(await seedDemoCatalog(gatewayUrl, admin)));
} catch (error) {
  console.error(`Seeding ${gatewayUrl} failed: ${describeSeedFailure(error)}`);
  process.exit(1);
}
