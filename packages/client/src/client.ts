import { CasClientError } from './errors.ts';
import { type CasPrincipal, type CasValidation, mapIdentity } from './identity.ts';
import { type CasClientOptions, type ResolvedOptions, resolveOptions } from './options.ts';
import {
  claimPgt,
  handleProxyCallback,
  type ProxyCallbackParams,
  type ProxyCallbackResult,
} from './proxy/pgt-callback.ts';
import { requestProxyTicket } from './proxy/proxy-ticket.ts';
import { handleFrontChannelLogout } from './slo/front-channel-logout.ts';
import { handleLogoutRequest, type LogoutRequestOutcome, sessionIndexKey } from './slo/logout-request.ts';
import { buildLoginUrl, buildLogoutUrl, type LoginUrlOptions } from './urls.ts';
import { resolveUser } from './users.ts';
import { validateTicket } from './validate.ts';

export interface ValidationOptions {
  /** Validate with `renew=true`: only a ticket from primary credentials passes. Default the client's. */
  renew?: boolean;
}

/** A login accepted by the CAS server and by this application's rules. */
export interface CasLogin<U> {
  principal: CasPrincipal;
  /** What `findUser`/`createUser` returned; undefined without user hooks. */
  localUser: U | undefined;
  ticket: string;
  /** Set when a PGT arrived for this login: pass it to `proxyTicket`. */
  pgtIou: string | undefined;
  proxies: string[];
}

export class CasClient<U = undefined> {
  readonly #options: ResolvedOptions<U>;

  constructor(options: CasClientOptions<U>) {
    this.#options = resolveOptions(options);
  }

  get serviceUrl(): string {
    return this.#options.serviceUrl;
  }

  get proxyCallbackUrl(): string | undefined {
    return this.#options.proxyCallbackUrl;
  }

  get renew(): boolean {
    return this.#options.renew;
  }

  loginUrl(options?: LoginUrlOptions): string {
    return buildLoginUrl(this.#options, options);
  }

  /** The server's logout URL; `redirect` (absolute) is where the server may send the browser afterwards. */
  logoutUrl(redirect?: string): string {
    return buildLogoutUrl(this.#options, redirect);
  }

  /** Validates a service (or, if accepted, proxy) ticket: the CAS answer as is, or a `CasClientError`. */
  validate(
    ticket: string,
    service: string = this.#options.serviceUrl,
    options: ValidationOptions = {},
  ): Promise<CasValidation> {
    const renew = options.renew ?? this.#options.renew;
    return validateTicket({ ...this.#options, renew }, ticket, service);
  }

  /** `validate`, then this application's rules: identity mapping, user hooks, PGT claim. */
  async authenticate(
    ticket: string,
    service: string = this.#options.serviceUrl,
    options: ValidationOptions = {},
  ): Promise<CasLogin<U>> {
    const validation = await this.validate(ticket, service, options);
    const principal = await mapIdentity(validation, this.#options);
    const localUser = await resolveUser(principal, this.#options);
    const { pgtStore, pgtTtlMs } = this.#options;
    const pgt =
      validation.pgtIou === undefined ? undefined : await claimPgt(pgtStore, validation.pgtIou, pgtTtlMs);
    return {
      principal,
      localUser,
      ticket,
      pgtIou: pgt === undefined ? undefined : validation.pgtIou,
      proxies: validation.proxies,
    };
  }

  /** Serve this at `proxyCallbackUrl`: answer the CAS server with `status`. */
  handleProxyCallback(params: ProxyCallbackParams): Promise<ProxyCallbackResult> {
    return handleProxyCallback(this.#options.pgtStore, params);
  }

  /** A proxy ticket for `targetService` on behalf of the login that received `pgtIou`. */
  proxyTicket(pgtIou: string | undefined, targetService: string): Promise<string> {
    if (this.#options.proxyCallbackUrl === undefined) {
      return Promise.reject(
        new CasClientError('PROXY_NOT_CONFIGURED', 'set proxyCallbackUrl to obtain proxy tickets'),
      );
    }
    if (pgtIou === undefined)
      return Promise.reject(new CasClientError('NO_PGT', 'this login received no PGT'));
    return requestProxyTicket(this.#options, pgtIou, targetService);
  }

  /** Records which local session a ticket logged in, for single logout. */
  trackSession(ticket: string, sessionId: string): Promise<void> {
    return this.#options.sessionIndexStore.set(
      sessionIndexKey(ticket),
      sessionId,
      this.#options.sessionTtlMs,
    );
  }

  /** Forgets a login ended locally, so a late logout request finds nothing. */
  forgetSession(ticket: string): Promise<void> {
    return this.#options.sessionIndexStore.delete(sessionIndexKey(ticket));
  }

  /** A single logout POST from the server: which local session to destroy, if any. */
  handleLogoutRequest(body: Parameters<typeof handleLogoutRequest>[1]): Promise<LogoutRequestOutcome> {
    return handleLogoutRequest(this.#options.sessionIndexStore, body);
  }

  /** A front-channel logout GET's `SAMLRequest` parameter: which local session to destroy, if any. */
  handleFrontChannelLogout(samlRequest: string): Promise<LogoutRequestOutcome> {
    return handleFrontChannelLogout(this.#options.sessionIndexStore, samlRequest);
  }
}
