export type { Attributes } from '@usher/protocol';
export { CasClient, type CasLogin, type ValidationOptions } from './client.ts';
export {
  CasClientError,
  type CasClientErrorCode,
  isCasClientError,
  type LoginRefusalCode,
  type ProxyErrorCode,
  type TransportErrorCode,
} from './errors.ts';
export {
  CasFlow,
  type CasFlowOptions,
  type FlowRequest,
  type GuardMode,
  type RequireLoginOptions,
} from './flow/cas-flow.ts';
export { safeNextPath } from './flow/next-path.ts';
export { type FlowReply, statusFor } from './flow/reply.ts';
export type { RequireLogin } from './flow/require-login.ts';
export type { CasSessionState, SessionPort } from './flow/session-state.ts';
export type { CasPrincipal, CasValidation, IdentityOptions } from './identity.ts';
export type { CasClientOptions, CasFormat, CasProtocolOptions, CasVersion } from './options.ts';
export type { ProxyCallbackParams, ProxyCallbackResult } from './proxy/pgt-callback.ts';
export type { LogoutRequestOutcome } from './slo/logout-request.ts';
export type { CasStore } from './stores/cas-store.ts';
export { MemoryCasStore, type MemoryCasStoreOptions } from './stores/memory-store.ts';
export { RedisCasStore, type RedisCasStoreOptions, type RedisLike } from './stores/redis-store.ts';
export type { LoginUrlOptions } from './urls.ts';
export type { UserHooks } from './users.ts';
