/**
 * @strait/api — the REST API (Kuma 2.x compatible) that both control planes serve, its auth,
 * and the control-plane core that starts it.
 */

export type { ApiAuthOptions, TokenVerifier } from './auth/authenticate.js';
export type { Identity } from './auth/identity.js';
export { ADMIN_GROUP, identityOf, isAdmin, LOCALHOST_ADMIN } from './auth/identity.js';
export type { CpCore, CpCoreOptions } from './cp/start-cp-core.js';
export { STRAIT_VERSION, startCpCore } from './cp/start-cp-core.js';
export type { InputSource, InvalidParameter, ProblemBody } from './errors/http-errors.js';
export { invalidInput, PROBLEM_CONTENT_TYPE, problemFor } from './errors/http-errors.js';
export type { GlobalInsight } from './global-insight/compute-global-insight.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './http/pagination.js';
export type { IndexBody } from './routes/index-route.js';
export { BASED_ON_KUMA } from './routes/index-route.js';
export type { ListBody } from './routes/resource-handlers.js';
export type { ResourceTypeDescription } from './routes/resource-types-route.js';
export type { StraitRouteConfig } from './routes/route-config.js';
export { DEFAULT_PROXY_TOKEN_VALID_FOR, registerProxyTokenRoutes } from './routes/token-routes.js';
export { DEFAULT_ZONE_TOKEN_VALID_FOR, registerZoneTokenRoutes } from './routes/zone-token-routes.js';
export type { ApiServer } from './server/api-server.js';
export { createApiServer } from './server/api-server.js';
export type { ApiMode, ApiServerOptions } from './server/api-server-options.js';
