import {
  type CasError,
  compileServicePattern,
  InvalidProxyCallbackError,
  matchesService,
  normalizeServiceUrl,
  UnauthorizedServiceError,
  UnauthorizedServiceProxyError,
} from '@usher/protocol';
import type { UsherConfig } from '../config/load-config.ts';
import type { ServiceConfig } from '../config/schema.ts';
import { isLoopback } from '../http/ticket-granting-cookie.ts';

type CallbackSettings = Pick<UsherConfig['proxy'], 'allowInsecureLoopbackCallbacks'>;

/**
 * Why `service` may not receive a PGT through `pgtUrl`, or undefined when it may (CAS 3.0 §2.5.4;
 * django-mama-cas PROXY_ALLOW and PROXY_PATTERN): the service must be allowed to proxy, the callback
 * must be HTTPS (plain HTTP only on loopback, and only when development allows it) and match the
 * service's callback pattern, or the service's own pattern when it has none.
 */
export function proxyCallbackRefusal(
  service: ServiceConfig,
  pgtUrl: string,
  settings: CallbackSettings,
): CasError | undefined {
  if (!service.proxy.allowed) {
    return new UnauthorizedServiceProxyError(`Service '${service.name}' may not use proxy authentication`);
  }
  const normalized = normalizeServiceUrl(pgtUrl);
  if (normalized === undefined)
    return new InvalidProxyCallbackError('The proxy callback is not a usable URL');
  const url = new URL(normalized);
  const insecureAllowed = settings.allowInsecureLoopbackCallbacks && isLoopback(url.hostname);
  if (url.protocol !== 'https:' && !insecureAllowed) {
    return new InvalidProxyCallbackError('The proxy callback must use HTTPS');
  }
  const pattern = service.proxy.callbackPattern
    ? compileServicePattern({ kind: 'regex', value: service.proxy.callbackPattern })
    : compileServicePattern({ kind: service.match, value: service.pattern });
  if (!matchesService(pattern, normalized)) {
    return new InvalidProxyCallbackError(
      `The proxy callback is not authorized for service '${service.name}'`,
    );
  }
  return undefined;
}

/**
 * Why the holder of a PGT obtained by `service` may not get a proxy ticket for `target` (a registered
 * service URL), or undefined when it may: the service must still be allowed to proxy, and `target`
 * must match one of its `proxy.targets` when it lists any (CAS 3.0 §2.7.3 UNAUTHORIZED_SERVICE).
 */
export function proxyTargetRefusal(service: ServiceConfig, target: string): CasError | undefined {
  if (!service.proxy.allowed) {
    return new UnauthorizedServiceError(`Service '${service.name}' may not use proxy authentication`);
  }
  const targets = service.proxy.targets;
  if (targets.length === 0) return undefined;
  const allowed = targets.some((value) =>
    matchesService(compileServicePattern({ kind: 'regex', value }), target),
  );
  return allowed
    ? undefined
    : new UnauthorizedServiceError(`Service '${service.name}' may not proxy to this service`);
}
