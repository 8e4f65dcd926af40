import { withQuery } from '@usher/protocol';
import type { CasClient } from '../client.ts';
import { CasClientError } from '../errors.ts';
import type { CasPrincipal } from '../identity.ts';
import type { LogoutRequestOutcome } from '../slo/logout-request.ts';
import { safeNextPath } from './next-path.ts';
import { defaultErrorReply, type FlowReply, redirect, text } from './reply.ts';
import type { CasSessionState, SessionPort } from './session-state.ts';

export interface CasFlowOptions {
  /** Starts a login (`?next=/path`); default `/cas/login`. */
  loginPath?: string;
  /** Local logout, then CAS logout unless `logoutCompletely` is false (`?next=/path`); default `/cas/logout`. */
  logoutPath?: string;
  /** Login callback and single logout endpoint; default the path of the client's `serviceUrl`. */
  callbackPath?: string;
  /** Default the path of the client's `proxyCallbackUrl`, when set. */
  proxyCallbackPath?: string;
  /** `CAS_REDIRECT_URL`: where to go after login or logout without a (valid) `next`; default `/`. */
  redirectUrl?: string;
  /** `CAS_LOGOUT_COMPLETELY`: also end the SSO session at the CAS server; default true. */
  logoutCompletely?: boolean;
  /** `CAS_STORE_NEXT`: keep `next` in the session instead of the service URL; default false. */
  storeNext?: boolean;
  /** Keep the user's attributes in the session; default true. */
  keepAttributes?: boolean;
  /** Renders a failed login; default a plain-text page with the error code and a fitting status. */
  renderError?: (error: CasClientError) => FlowReply;
  /**
   * How long the optional-login guard leaves an anonymous session alone after asking the server with
   * `gateway=true`, before asking again (the user may have logged in elsewhere since); default 60 s.
   * `Infinity` asks once per session.
   */
  gatewayRetryAfterMs?: number;
}

export interface RequireLoginOptions {
  /**
   * Ask for primary credentials (`renew=true`) even over a single sign-on session or a local session, and
   * validate the ticket with `renew=true`; a session whose login did so passes. Default false.
   */
  renew?: boolean;
}

export interface FlowRequest {
  method: string;
  /** Origin-relative: path and query, as received. */
  url: string;
}

export type GuardMode = 'required' | 'optional';

/** Everything the adapters do, framework-free: each adapter only maps requests, sessions and replies. */
export class CasFlow<U = undefined> {
  readonly client: CasClient<U>;
  readonly loginPath: string;
  readonly logoutPath: string;
  readonly callbackPath: string;
  readonly proxyCallbackPath: string | undefined;
  readonly #options: CasFlowOptions;
  readonly #serviceUrl: string;
  readonly #gatewayRetryAfterMs: number;

  constructor(client: CasClient<U>, options: CasFlowOptions = {}) {
    this.client = client;
    this.#options = options;
    this.#serviceUrl = client.serviceUrl;
    this.loginPath = options.loginPath ?? '/cas/login';
    this.logoutPath = options.logoutPath ?? '/cas/logout';
    this.callbackPath = options.callbackPath ?? new URL(client.serviceUrl).pathname;
    const pgtUrl = client.proxyCallbackUrl;
    this.proxyCallbackPath =
      options.proxyCallbackPath ?? (pgtUrl === undefined ? undefined : new URL(pgtUrl).pathname);
    this.#gatewayRetryAfterMs = options.gatewayRetryAfterMs ?? 60_000;
    if (!(this.#gatewayRetryAfterMs > 0)) {
      throw new TypeError('CasFlow: option "gatewayRetryAfterMs" must be a positive number (or Infinity)');
    }
  }

  principal(session: SessionPort): CasPrincipal | undefined {
    return session.read()?.principal;
  }

  /** `GET loginPath?next=`: straight on when logged in, else to the CAS server. */
  async login(request: FlowRequest, session: SessionPort): Promise<FlowReply> {
    const next = safeNextPath(queryOf(request).get('next'));
    if (this.principal(session) !== undefined) return redirect(next ?? this.#redirectUrl);
    return redirect(this.client.loginUrl({ service: await this.#serviceFor(next, session) }));
  }

  /**
   * `GET callbackPath?ticket=&next=`: validates, starts a fresh session, goes to `next`. With `SAMLRequest`
   * instead, a front-channel single logout.
   */
  async callback(request: FlowRequest, session: SessionPort): Promise<FlowReply> {
    const query = queryOf(request);
    const samlRequest = query.get('SAMLRequest');
    if (samlRequest !== null)
      return this.#endLogin(await this.client.handleFrontChannelLogout(samlRequest), session);
    const ticket = query.get('ticket');
    const state = session.read() ?? {};
    const rawNext = this.#options.storeNext ? undefined : (query.get('next') ?? undefined);
    const next = safeNextPath(this.#options.storeNext ? state.next : rawNext) ?? this.#redirectUrl;
    if (!ticket) {
      // Back from gateway without an SSO session: the retry interval starts now, however long the trip.
      if (state.gatewayTriedAt !== undefined) await session.write({ ...state, gatewayTriedAt: Date.now() });
      return redirect(next);
    }
    // Trusting the marker is safe: validating with renew=true, the server itself vouches for the password.
    const renew = query.get('renew') === 'true';
    // The service must be byte for byte the one the ticket was issued for, hence the unchecked `next`.
    const service = this.#serviceUrlWith(rawNext, renew);
    let login: Awaited<ReturnType<CasClient<U>['authenticate']>>;
    try {
      login = await this.client.authenticate(ticket, service, renew ? { renew } : {});
    } catch (error) {
      if (!(error instanceof CasClientError)) throw error;
      return (this.#options.renderError ?? defaultErrorReply)(error);
    }
    const principal =
      this.#options.keepAttributes === false ? { ...login.principal, attributes: {} } : login.principal;
    const fresh: CasSessionState = { principal, ticket };
    if (login.pgtIou !== undefined) fresh.pgtIou = login.pgtIou;
    if (renew || this.client.renew) fresh.renewed = true;
    const sessionId = await session.start(fresh);
    await this.client.trackSession(ticket, sessionId);
    return redirect(next);
  }

  /** `logoutPath?next=`: ends the local session, then the SSO session unless `logoutCompletely` is false. */
  async logout(request: FlowRequest, session: SessionPort): Promise<FlowReply> {
    const ticket = session.read()?.ticket;
    if (ticket !== undefined) await this.client.forgetSession(ticket);
    await session.destroy();
    const next = safeNextPath(queryOf(request).get('next')) ?? this.#redirectUrl;
    if (this.#options.logoutCompletely === false) return redirect(next);
    return redirect(this.client.logoutUrl(new URL(next, this.#serviceUrl).href));
  }

  /**
   * `POST callbackPath` from the CAS server: destroys the session its ticket started, through the session
   * store. Malformed requests get 400, unknown tickets 200; neither changes anything.
   */
  async singleLogout(
    body: Parameters<CasClient<U>['handleLogoutRequest']>[0],
    session: SessionPort,
  ): Promise<FlowReply> {
    return this.#endLogin(await this.client.handleLogoutRequest(body), session);
  }

  /** `GET proxyCallbackPath?pgtId=&pgtIou=` from the CAS server. */
  async proxyCallback(request: FlowRequest): Promise<FlowReply> {
    const query = queryOf(request);
    const result = await this.client.handleProxyCallback({
      pgtId: query.get('pgtId'),
      pgtIou: query.get('pgtIou'),
    });
    return text(result.status, result.status === 200 ? 'OK\n' : 'invalid proxy callback\n');
  }

  /**
   * A reply when the request may not go on: `required` sends a browser to the CAS server (401 for other
   * than GET/HEAD), with `renew` also a browser whose login did not ask for the password; `optional` asks
   * the server with `gateway=true`, again `gatewayRetryAfterMs` later, and lets anonymous requests through
   * meanwhile. Undefined means go on; read the user with `principal`.
   */
  async guard(
    request: FlowRequest,
    session: SessionPort,
    mode: GuardMode,
    options: RequireLoginOptions = {},
  ): Promise<FlowReply | undefined> {
    const state = session.read();
    const renew = mode === 'required' && options.renew === true;
    if (state?.principal !== undefined && (!renew || state.renewed)) return undefined;
    const navigable = request.method === 'GET' || request.method === 'HEAD';
    const next = safeNextPath(request.url);
    if (mode === 'optional') {
      if (!navigable || !this.#gatewayDue(state)) return undefined;
      // Marked before leaving, so a browser the server sends back without a ticket is not sent again.
      await session.write({ ...state, gatewayTriedAt: Date.now() });
      return redirect(
        this.client.loginUrl({ service: await this.#serviceFor(next, session), gateway: true }),
      );
    }
    if (!navigable) return text(401, 'login required\n');
    const service = await this.#serviceFor(next, session, renew);
    return redirect(this.client.loginUrl(renew ? { service, renew } : { service }));
  }

  /** A proxy ticket for `targetService` for the logged-in user of `session`. */
  proxyTicket(session: SessionPort, targetService: string): Promise<string> {
    return this.client.proxyTicket(session.read()?.pgtIou, targetService);
  }

  get #redirectUrl(): string {
    return this.#options.redirectUrl ?? '/';
  }

  /** Where the login comes back: `next` in the service URL, or in the session with `storeNext`. */
  async #serviceFor(next: string | undefined, session: SessionPort, renew = false): Promise<string> {
    if (!this.#options.storeNext) return this.#serviceUrlWith(next, renew);
    if (next !== undefined) await session.write({ ...session.read(), next });
    return this.#serviceUrlWith(undefined, renew);
  }

  /** `renew=true` in the service URL tells the callback to validate with `renew=true`. */
  #serviceUrlWith(next: string | undefined, renew: boolean): string {
    return withQuery(this.#serviceUrl, { next, renew: renew ? 'true' : undefined });
  }

  #gatewayDue(state: CasSessionState | undefined): boolean {
    const triedAt = state?.gatewayTriedAt;
    return triedAt === undefined || Date.now() - triedAt >= this.#gatewayRetryAfterMs;
  }

  async #endLogin(outcome: LogoutRequestOutcome, session: SessionPort): Promise<FlowReply> {
    if (outcome.kind === 'invalid') return text(400, 'invalid logout request\n');
    if (outcome.kind === 'logout') await session.destroyById(outcome.sessionId);
    return text(200, 'OK\n');
  }
}

function queryOf(request: FlowRequest): URLSearchParams {
  return new URL(request.url, 'http://request.invalid').searchParams;
}
