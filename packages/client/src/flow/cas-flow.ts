import { withQuery } from '@usher/protocol';
import type { CasClient } from '../client.ts';
import { CasClientError } from '../errors.ts';
import type { CasPrincipal } from '../identity.ts';
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

  /** `GET callbackPath?ticket=&next=`: validates, starts a fresh session, goes to `next`. */
  async callback(request: FlowRequest, session: SessionPort): Promise<FlowReply> {
    const query = queryOf(request);
    const ticket = query.get('ticket');
    const state = session.read() ?? {};
    const rawNext = this.#options.storeNext ? undefined : query.get('next');
    const next = safeNextPath(this.#options.storeNext ? state.next : rawNext) ?? this.#redirectUrl;
    // No ticket: the server came back from a gateway request without an SSO session.
    if (!ticket) return redirect(next);
    // The service must be byte for byte the one the ticket was issued for, hence the unchecked `next`.
    const service = rawNext == null ? this.#serviceUrl : withQuery(this.#serviceUrl, { next: rawNext });
    let login: Awaited<ReturnType<CasClient<U>['authenticate']>>;
    try {
      login = await this.client.authenticate(ticket, service);
    } catch (error) {
      if (!(error instanceof CasClientError)) throw error;
      return (this.#options.renderError ?? defaultErrorReply)(error);
    }
    const principal =
      this.#options.keepAttributes === false ? { ...login.principal, attributes: {} } : login.principal;
    const fresh: CasSessionState = { principal, ticket };
    if (login.pgtIou !== undefined) fresh.pgtIou = login.pgtIou;
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
   * `POST callbackPath` from the CAS server: the session to destroy (by the adapter, through its session
   * store) and the answer. Malformed requests get 400, unknown tickets 200; neither changes anything.
   */
  async singleLogout(
    body: Parameters<CasClient<U>['handleLogoutRequest']>[0],
  ): Promise<{ reply: FlowReply; destroy: string | undefined }> {
    const outcome = await this.client.handleLogoutRequest(body);
    if (outcome.kind === 'invalid')
      return { reply: text(400, 'invalid logout request\n'), destroy: undefined };
    return { reply: text(200, 'OK\n'), destroy: outcome.kind === 'logout' ? outcome.sessionId : undefined };
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
   * than GET/HEAD); `optional` asks the server once per session with `gateway=true`, then lets anonymous
   * requests through. Undefined means go on; read the user with `principal`.
   */
  async guard(request: FlowRequest, session: SessionPort, mode: GuardMode): Promise<FlowReply | undefined> {
    const state = session.read();
    if (state?.principal !== undefined) return undefined;
    const navigable = request.method === 'GET' || request.method === 'HEAD';
    if (mode === 'optional' && (!navigable || state?.gatewayTried)) return undefined;
    if (!navigable) return text(401, 'login required\n');
    const next = safeNextPath(request.url);
    if (mode === 'optional') {
      // Marked before leaving, so a browser the server sends back without a ticket is not sent again.
      await session.write({ ...state, gatewayTried: true });
      return redirect(
        this.client.loginUrl({ service: await this.#serviceFor(next, session), gateway: true }),
      );
    }
    return redirect(this.client.loginUrl({ service: await this.#serviceFor(next, session) }));
  }

  /** A proxy ticket for `targetService` for the logged-in user of `session`. */
  proxyTicket(session: SessionPort, targetService: string): Promise<string> {
    return this.client.proxyTicket(session.read()?.pgtIou, targetService);
  }

  get #redirectUrl(): string {
    return this.#options.redirectUrl ?? '/';
  }

  async #serviceFor(next: string | undefined, session: SessionPort): Promise<string> {
    if (next === undefined) return this.#serviceUrl;
    if (!this.#options.storeNext) return withQuery(this.#serviceUrl, { next });
    await session.write({ ...session.read(), next });
    return this.#serviceUrl;
  }
}

function queryOf(request: FlowRequest): URLSearchParams {
  return new URL(request.url, 'http://request.invalid').searchParams;
}
