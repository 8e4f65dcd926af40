import type { Registry } from 'prom-client';
import type { AttributeCallbacks } from './attributes/attribute-callbacks.ts';
import type { Authenticator } from './auth/authenticator.ts';
import type { UsherConfig } from './config/load-config.ts';
import type { TicketGrantingCookie } from './http/ticket-granting-cookie.ts';
import type { Logger } from './logging/logger.ts';
import type { LoginThrottle } from './login/login-throttle.ts';
import type { LoginTokens } from './login/login-tokens.ts';
import type { SessionTermination } from './logout/session-termination.ts';
import type { ProxyGranting } from './proxy/proxy-granting.ts';
import type { ServiceRegistry } from './services/service-registry.ts';
import type { SsoSessions } from './sessions/sso-sessions.ts';
import type { Clock, Storage } from './storage/types.ts';
import type { ProxyTickets } from './tickets/proxy-tickets.ts';
import type { TicketService } from './tickets/ticket-service.ts';
import type { Views } from './views/views.ts';

/** Everything a route or flow step needs, built once per server in `create-context.ts`. */
export interface UsherContext {
  config: UsherConfig;
  clock: Clock;
  logger: Logger;
  storage: Storage;
  registry: ServiceRegistry;
  sessions: SsoSessions;
  tickets: TicketService;
  loginTokens: LoginTokens;
  throttle: LoginThrottle;
  authenticator: Authenticator;
  termination: SessionTermination;
  proxyTickets: ProxyTickets;
  proxyGranting: ProxyGranting;
  attributeCallbacks: AttributeCallbacks;
  cookie: TicketGrantingCookie;
  views: Views;
  /** Prometheus registry of this server (served at /metrics when `metrics.enabled`). */
  metrics: Registry;
  /** Absolute paths of this server's endpoints (they include the base path of `server.publicUrl`). */
  paths: ServerPaths;
}

export interface ServerPaths {
  base: string;
  login: string;
  logout: string;
  serviceValidate: string;
  p3ServiceValidate: string;
  static: string;
  demo: string;
}

export function serverPaths(publicUrl: string): ServerPaths {
  const base = new URL(publicUrl).pathname.replace(/\/+$/, '');
  return {
    base,
    login: `${base}/login`,
    logout: `${base}/logout`,
    serviceValidate: `${base}/serviceValidate`,
    p3ServiceValidate: `${base}/p3/serviceValidate`,
    static: `${base}/static`,
    demo: `${base}/demo/`,
  };
}
