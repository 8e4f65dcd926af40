import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';
import {
  type Attributes,
  type CasErrorCode,
  generateTicketId,
  parseSamlValidateRequest,
  renderCas1Failure,
  renderCas1Success,
  renderLogoutRequest,
  renderProxyJson,
  renderProxyXml,
  renderSamlFailure,
  renderSamlSuccess,
  renderValidationJson,
  renderValidationXml,
  type ValidationFailure,
  type ValidationSuccess,
} from '@usher/protocol';

/** A canned answer replacing the normal one (invalid XML, slow server, HTTP errors...). */
export interface CannedAnswer {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

interface Ticket {
  service: string;
  user: string;
  attributes: Attributes;
  sso: string | undefined;
  /** Issued on primary credentials (the only tickets that pass a validation with `renew=true`). */
  fromNewLogin: boolean;
  proxies: string[];
}

/**
 * A small CAS server over real HTTP for the client tests: SSO by cookie, single-use tickets bound to their
 * service, `renew`, proxy callback and `/proxy`, back-channel single logout on `/logout`. It logs in `user`
 * without a form. `answer` overrides any request, for failure tests.
 */
export class FakeCas {
  url = '';
  user = 'alice';
  attributes: Attributes = { mail: ['alice@example.org'], memberOf: ['staff', 'admins'] };
  answer: ((url: URL, body: string) => CannedAnswer | undefined) | undefined;
  readonly requests: URL[] = [];
  readonly logoutDeliveries: { service: string; status: number }[] = [];
  readonly #tickets = new Map<string, Ticket>();
  readonly #pgts = new Map<string, Omit<Ticket, 'service' | 'sso' | 'fromNewLogin'>>();
  readonly #ssoTickets = new Map<string, { service: string; ticket: string }[]>();
  readonly #server = createServer((req, res) => {
    this.#handle(req, res).catch((error) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });

  static async start(host = '127.0.0.1'): Promise<FakeCas> {
    const cas = new FakeCas();
    await new Promise<void>((resolve) => cas.#server.listen(0, host, resolve));
    cas.url = `http://${host}:${(cas.#server.address() as AddressInfo).port}/cas`;
    return cas;
  }

  /** A service ticket as if the user had just logged in, without SSO session. */
  issueTicket(service: string, user = this.user, attributes = this.attributes): string {
    const id = generateTicketId('ST');
    this.#tickets.set(id, { service, user, attributes, sso: undefined, fromNewLogin: true, proxies: [] });
    return id;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    reply(res, this.answer?.(url, body) ?? (await this.#route(req, url, body)));
  }

  async #route(req: IncomingMessage, url: URL, body: string): Promise<CannedAnswer> {
    const path = url.pathname.replace(/^\/cas/, '');
    const q = (name: string) => url.searchParams.get(name) ?? undefined;
    switch (path) {
      case '/login':
        return this.#login(req, q('service'), q('gateway') === 'true', q('renew') === 'true');
      case '/logout':
        return this.#logout(req, q('service') ?? q('url'));
      case '/validate':
      case '/serviceValidate':
      case '/proxyValidate':
      case '/p3/serviceValidate':
      case '/p3/proxyValidate':
        return this.#validate(path, url.searchParams);
      case '/samlValidate':
        return this.#samlValidate(q('TARGET'), body);
      case '/proxy':
        return this.#proxy(q('pgt'), q('targetService'), q('format') === 'JSON');
      default:
        return { status: 404, body: 'not found' };
    }
  }

  #login(req: IncomingMessage, service: string | undefined, gateway: boolean, renew: boolean): CannedAnswer {
    if (service === undefined) return { status: 200, body: 'logged in at the fake CAS' };
    let sso = cookieOf(req, 'FAKETGC');
    const fromNewLogin = renew || sso === undefined || !this.#ssoTickets.has(sso);
    if (sso === undefined || !this.#ssoTickets.has(sso)) {
      if (gateway && !renew) return { status: 302, headers: { location: service } };
      sso = randomUUID();
      this.#ssoTickets.set(sso, []);
    }
    const ticket = this.issueTicket(service);
    Object.assign(this.#tickets.get(ticket)!, { sso, fromNewLogin });
    this.#ssoTickets.get(sso)!.push({ service, ticket });
    const location = `${service}${service.includes('?') ? '&' : '?'}ticket=${ticket}`;
    return { status: 302, headers: { location, 'set-cookie': `FAKETGC=${sso}; Path=/cas; HttpOnly` } };
  }

  /** Ends the SSO session and POSTs a logout request for each of its tickets, before answering. */
  async #logout(req: IncomingMessage, redirect: string | undefined): Promise<CannedAnswer> {
    const sso = cookieOf(req, 'FAKETGC');
    const issued = sso === undefined ? [] : (this.#ssoTickets.get(sso) ?? []);
    if (sso !== undefined) this.#ssoTickets.delete(sso);
    for (const { service, ticket } of issued) await this.sendLogoutRequest(service, ticket);
    const expire = 'FAKETGC=; Path=/cas; Max-Age=0';
    if (redirect !== undefined) return { status: 302, headers: { location: redirect, 'set-cookie': expire } };
    return { status: 200, body: 'logged out', headers: { 'set-cookie': expire } };
  }

  /** What a CAS server POSTs to a service for single logout. */
  async sendLogoutRequest(service: string, ticket: string): Promise<number> {
    const logoutRequest = logoutRequestFor(ticket);
    const response = await fetch(service, { method: 'POST', body: new URLSearchParams({ logoutRequest }) });
    this.logoutDeliveries.push({ service, status: response.status });
    return response.status;
  }

  /** What a CAS server has the browser load for front-channel single logout (zlib deflate, as Usher). */
  frontChannelLogoutUrl(service: string, ticket: string, deflate = deflateSync): string {
    const url = new URL(service);
    url.searchParams.set('SAMLRequest', deflate(logoutRequestFor(ticket)).toString('base64'));
    return url.href;
  }

  async #validate(path: string, params: URLSearchParams): Promise<CannedAnswer> {
    const json = params.get('format') === 'JSON';
    const render = (result: ValidationSuccess | ValidationFailure): CannedAnswer => ({
      body: json ? renderValidationJson(result) : renderValidationXml(result),
    });
    const fail = (code: CasErrorCode, description: string) => render({ code, description });
    const id = params.get('ticket');
    const service = params.get('service');
    if (!id || !service) {
      return path === '/validate'
        ? { body: renderCas1Failure() }
        : fail('INVALID_REQUEST', 'missing parameters');
    }
    const ticket = this.#tickets.get(id);
    this.#tickets.delete(id);
    const problem: [CasErrorCode, string] | undefined =
      ticket === undefined
        ? ['INVALID_TICKET', `ticket ${id} not recognized`]
        : ticket.service !== service
          ? ['INVALID_SERVICE', 'ticket was issued for another service']
          : id.startsWith('PT-') && !path.endsWith('proxyValidate')
            ? ['INVALID_TICKET_SPEC', 'proxy ticket sent to serviceValidate']
            : params.get('renew') === 'true' && !ticket.fromNewLogin
              ? ['INVALID_TICKET', 'ticket not issued on primary credentials']
              : undefined;
    if (path === '/validate') {
      return {
        body: problem === undefined ? renderCas1Success(ticket!.user) : renderCas1Failure(),
      };
    }
    if (problem !== undefined) return fail(...problem);
    const success: ValidationSuccess = { user: ticket!.user, proxies: ticket!.proxies };
    if (path.startsWith('/p3/')) success.attributes = ticket!.attributes;
    const pgtUrl = params.get('pgtUrl');
    if (pgtUrl) {
      const iou = await this.#grantPgt(pgtUrl, ticket!);
      if (iou !== undefined) success.proxyGrantingTicket = iou;
    }
    return render(success);
  }

  #samlValidate(target: string | undefined, body: string): CannedAnswer {
    const request = parseSamlValidateRequest(body);
    const ticket = this.#tickets.get(request.ticket);
    this.#tickets.delete(request.ticket);
    const now = new Date();
    const common = { responseId: `_${randomUUID()}`, inResponseTo: request.requestId, issueInstant: now };
    if (ticket === undefined || ticket.service !== target) {
      const message = ticket === undefined ? 'ticket not recognized' : 'ticket issued for another service';
      return { body: renderSamlFailure({ ...common, statusCode: 'samlp:Responder', message }) };
    }
    const success = renderSamlSuccess({
      ...common,
      issuer: 'fake-cas',
      recipient: target,
      user: ticket.user,
      attributes: ticket.attributes,
      authenticationInstant: now,
      notBefore: now,
      notOnOrAfter: new Date(now.getTime() + 30_000),
    });
    return { body: success };
  }

  async #grantPgt(pgtUrl: string, ticket: Ticket): Promise<string | undefined> {
    const pgtId = generateTicketId('PGT');
    const pgtIou = generateTicketId('PGTIOU');
    const callback = new URL(pgtUrl);
    callback.searchParams.set('pgtId', pgtId);
    callback.searchParams.set('pgtIou', pgtIou);
    const response = await fetch(callback).catch(() => undefined);
    if (response?.status !== 200) return undefined;
    this.#pgts.set(pgtId, {
      user: ticket.user,
      attributes: ticket.attributes,
      proxies: [pgtUrl, ...ticket.proxies],
    });
    return pgtIou;
  }

  /** Forgets a PGT, as when it expires on the server. */
  expirePgts(): void {
    this.#pgts.clear();
  }

  #proxy(pgt: string | undefined, target: string | undefined, json: boolean): CannedAnswer {
    const render = json ? renderProxyJson : renderProxyXml;
    const granted = pgt === undefined ? undefined : this.#pgts.get(pgt);
    if (target === undefined)
      return { body: render({ code: 'INVALID_REQUEST', description: 'no targetService' }) };
    if (granted === undefined) return { body: render({ code: 'BAD_PGT', description: 'unknown PGT' }) };
    const proxyTicket = generateTicketId('PT');
    this.#tickets.set(proxyTicket, { ...granted, service: target, sso: undefined, fromNewLogin: false });
    return { body: render({ proxyTicket }) };
  }
}

function logoutRequestFor(ticket: string): string {
  return renderLogoutRequest({ id: `_${randomUUID()}`, issueInstant: new Date(), sessionIndex: ticket });
}

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, value] = part.trim().split('=');
    if (key === name) return value;
  }
  return undefined;
}

function reply(res: ServerResponse, answer: CannedAnswer): void {
  const send = () => {
    res.writeHead(answer.status ?? 200, answer.headers);
    res.end(answer.body ?? '');
  };
  if (answer.delayMs === undefined) send();
  else setTimeout(send, answer.delayMs).unref();
}
