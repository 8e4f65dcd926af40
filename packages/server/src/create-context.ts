import { Registry } from 'prom-client';
import { AttributeCallbacks } from './attributes/attribute-callbacks.ts';
import type { Authenticator } from './auth/authenticator.ts';
import { createAuthenticator } from './auth/create-authenticator.ts';
import type { UsherConfig } from './config/load-config.ts';
import { serverPaths, type UsherContext } from './context.ts';
import { TicketGrantingCookie } from './http/ticket-granting-cookie.ts';
import type { Logger } from './logging/logger.ts';
import { LoginThrottle } from './login/login-throttle.ts';
import { LoginTokens } from './login/login-tokens.ts';
import { SessionTermination, type SingleLogoutNotifier } from './logout/session-termination.ts';
import { ProxyGranting } from './proxy/proxy-granting.ts';
import type { ServiceRegistry } from './services/service-registry.ts';
import { SsoSessions } from './sessions/sso-sessions.ts';
import type { Clock, Storage } from './storage/types.ts';
import { ProxyTickets } from './tickets/proxy-tickets.ts';
import { ServiceAccessLog } from './tickets/service-access-log.ts';
import { TicketService } from './tickets/ticket-service.ts';
import { Views } from './views/views.ts';

export interface ContextDependencies {
  config: UsherConfig;
  storage: Storage;
  logger: Logger;
  clock: Clock;
  authenticator?: Authenticator;
  singleLogout?: SingleLogoutNotifier;
  /** Prometheus registry; a fresh one when omitted. */
  metrics?: Registry;
  /** Loaded by `loadAttributeCallbacks` at start-up; none when omitted. */
  attributeCallbacks?: AttributeCallbacks;
  /** The services, shared with single logout (a reload replaces them in place). */
  registry: ServiceRegistry;
}

export function createContext(deps: ContextDependencies): UsherContext {
  const { config, storage, logger, clock } = deps;
  const paths = serverPaths(config.server.publicUrl);
  const sessions = new SsoSessions(storage.model('session'), config.sso, clock);
  const accessLog = new ServiceAccessLog(storage.model('serviceAccess'));
  const tickets = new TicketService(storage.model('ticket'), accessLog, config.tickets, clock);
  const proxyTickets = new ProxyTickets(storage.model('ticket'), accessLog, config.tickets, clock);
  return {
    config,
    clock,
    logger,
    storage,
    paths,
    registry: deps.registry,
    sessions,
    tickets,
    loginTokens: new LoginTokens(storage.model('loginToken'), config.tickets, clock),
    throttle: new LoginThrottle(storage.rateLimits, config.throttle),
    authenticator: deps.authenticator ?? createAuthenticator(config, { users: storage.users, logger }),
    termination: new SessionTermination(
      sessions,
      tickets,
      storage.model('serviceAccess'),
      logger,
      deps.singleLogout,
    ),
    proxyTickets,
    proxyGranting: new ProxyGranting(proxyTickets, config, logger),
    attributeCallbacks: deps.attributeCallbacks ?? AttributeCallbacks.none(logger),
    cookie: new TicketGrantingCookie(config),
    views: new Views({ siteTitle: config.ui.title, staticBase: paths.static }, config.ui.templatesDir),
    metrics: deps.metrics ?? new Registry(),
  };
}
