export { startTestDatabase, freePort } from './test-database.js';
export type { TestDatabase } from './test-database.js';
export { listen, startStandIn } from './http-server.js';
export type { ListeningServer } from './http-server.js';
export { createTestSigningKey } from './signing-key.js';
export type { TestSigningKey } from './signing-key.js';
export { call } from './call.js';
export type { Answer, CallOptions } from './call.js';
