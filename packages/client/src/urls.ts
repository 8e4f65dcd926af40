import { withQuery } from '@usher/protocol';
import type { ResolvedProtocolOptions } from './options.ts';

export interface LoginUrlOptions {
  /** Default: the client's `serviceUrl`. */
  service?: string;
  renew?: boolean;
  gateway?: boolean;
}

type UrlOptions = Pick<
  ResolvedProtocolOptions,
  | 'serverUrl'
  | 'serviceUrl'
  | 'version'
  | 'format'
  | 'renew'
  | 'gateway'
  | 'extraLoginParams'
  | 'proxyCallbackUrl'
  | 'acceptProxyTickets'
>;

export function buildLoginUrl(options: UrlOptions, request: LoginUrlOptions = {}): string {
  const renew = request.renew ?? options.renew;
  // The specification lets renew win; sending both would leave the choice to the server.
  const gateway = !renew && (request.gateway ?? options.gateway);
  return withQuery(`${options.serverUrl}/login`, {
    ...options.extraLoginParams,
    service: request.service ?? options.serviceUrl,
    renew: renew ? 'true' : undefined,
    gateway: gateway ? 'true' : undefined,
  });
}

/** CAS 3 names the redirect `service`; CAS 1 and 2 servers expect `url`. */
export function buildLogoutUrl(options: UrlOptions, redirect?: string): string {
  const key = options.version === 1 || options.version === 2 ? 'url' : 'service';
  return withQuery(`${options.serverUrl}/logout`, { [key]: redirect });
}

export function buildValidateUrl(options: UrlOptions, ticket: string, service: string): string {
  const proxy = options.acceptProxyTickets !== false;
  const path =
    options.version === 1
      ? '/validate'
      : `${options.version === 3 ? '/p3' : ''}/${proxy ? 'proxyValidate' : 'serviceValidate'}`;
  return withQuery(options.serverUrl + path, {
    service,
    ticket,
    renew: options.renew ? 'true' : undefined,
    pgtUrl: options.version === 1 ? undefined : options.proxyCallbackUrl,
    format: options.format === 'json' ? 'JSON' : undefined,
  });
}

export function buildProxyUrl(options: UrlOptions, pgt: string, targetService: string): string {
  return withQuery(`${options.serverUrl}/proxy`, {
    pgt,
    targetService,
    format: options.format === 'json' ? 'JSON' : undefined,
  });
}
