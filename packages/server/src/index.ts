export { buildApp } from './app.ts';
export {
  type Attributes,
  type AuthenticationResult,
  type Authenticator,
  AuthSourceUnavailableError,
} from './auth/authenticator.ts';
export { hashPassword, verifyPassword } from './auth/password-hash.ts';
export { type Clock, manualClock, systemClock } from './clock.ts';
export { WorkerPool, type WorkerPoolOptions, WorkerStartError } from './cluster/worker-pool.ts';
export { ConfigError } from './config/config-error.ts';
export { type LoadConfigOptions, loadConfig, resolveConfig, type UsherConfig } from './config/load-config.ts';
export type { ServiceConfig, UsherConfigInput } from './config/schema.ts';
export type { UsherContext } from './context.ts';
export { createLogger, type Logger } from './logging/logger.ts';
export type { EndReason, SingleLogoutNotifier } from './logout/session-termination.ts';
export { createUsherServer, type UsherServer, type UsherServerOptions } from './server.ts';
export { createStorage } from './storage/create-storage.ts';
export type { Storage } from './storage/types.ts';
