export { startTestDatabase, freePort } from './test-database.js';
export type { TestDatabase } from './test-database.js';
export { listen, startStandIn } from './http-server.js';
export { startGatewayStandIn } from './gateway-stand-in.js';
export type { GatewayStandIn } from './gateway-stand-in.js';
export type { ListeningServer } from './http-server.js';
export { createTestSigningKey } from './signing-key.js';
export type { TestSigningKey } from './signing-key.js';
export { call } from './call.js';
export type { Answer, CallOptions } from './call.js';
export { countRows } from './count-rows.js';
export { guardOutboundHttp } from './outbound-guard.js';
export type { OutboundGuard, OutboundGuardOptions } from './outbound-guard.js';
export { serviceUnderTest } from './service-under-test.js';
export type {
  RunStandIn,
  ServiceInstance,
  ServiceStartContext,
  ServiceUnderTest,
  ServiceUnderTestAccess,
  ServiceUnderTestOptions,
  TestServiceEnv,
} from './service-under-test.js';
export { eventually } from './eventually.js';
export { answerProblem, startInternalStandIn } from './internal-stand-in.js';
export type { InternalStandIn, InternalStandInOptions } from './internal-stand-in.js';
export { documentedParameters } from './openapi-parameters.js';
export type { DocumentedParameter } from './openapi-parameters.js';
