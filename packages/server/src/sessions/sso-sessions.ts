import { generateTicketId } from '@usher/protocol';
import type { Attributes } from '../auth/authenticator.ts';
import type { UsherConfig } from '../config/load-config.ts';
import type { Clock, ModelStore } from '../storage/types.ts';

export interface SsoSession {
  /** The TGT id: the value of the ticket-granting cookie and the only key to the session. */
  id: string;
  user: string;
  attributes: Attributes;
  authenticatedAt: number;
  lastSeenAt: number;
  /** Hard end of the session, whatever the activity. */
  endsAt: number;
  rememberMe: boolean;
  /** The user asked to confirm before each single sign-on redirect. */
  warn: boolean;
  /** The second factor passed at the last primary authentication, if any (CAS 3 `authnContextClass`). */
  secondFactor?: 'totp';
}

type SessionPayload = Omit<SsoSession, 'id'>;

const TGT_LENGTH = 64;

/** SSO sessions with an idle timeout and a hard maximum (or the remember-me lifetime). */
export class SsoSessions {
  constructor(
    private readonly store: ModelStore<SessionPayload>,
    private readonly settings: UsherConfig['sso'],
    private readonly clock: Clock,
  ) {}

  async create(input: {
    user: string;
    attributes: Attributes;
    rememberMe: boolean;
    warn: boolean;
    secondFactor?: 'totp';
  }): Promise<SsoSession> {
    const now = this.clock();
    const rememberMe = input.rememberMe && this.settings.rememberMe;
    const lifetime = rememberMe ? this.settings.rememberMeLifetime : this.settings.maxLifetime;
    const session: SsoSession = {
      id: generateTicketId('TGT', TGT_LENGTH),
      user: input.user,
      attributes: input.attributes,
      authenticatedAt: now,
      lastSeenAt: now,
      endsAt: now + lifetime * 1000,
      rememberMe,
      warn: input.warn,
      ...(input.secondFactor ? { secondFactor: input.secondFactor } : {}),
    };
    await this.save(session);
    return session;
  }

  async find(id: string | undefined): Promise<SsoSession | undefined> {
    if (!id || id.length !== TGT_LENGTH || !id.startsWith('TGT-')) return undefined;
    const payload = await this.store.find(id);
    return payload && { id, ...payload };
  }

  /** Records activity; writes only when it moves the idle deadline noticeably, to keep SSO cheap. */
  async touch(session: SsoSession): Promise<void> {
    const now = this.clock();
    const slack = Math.min(60_000, this.settings.idleTimeout * 10);
    if (now - session.lastSeenAt < slack) return;
    session.lastSeenAt = now;
    await this.save(session);
  }

  /** A fresh primary authentication of the same user inside an existing session (renew). */
  async reauthenticate(
    session: SsoSession,
    attributes: Attributes,
    warn: boolean,
    secondFactor?: 'totp',
  ): Promise<SsoSession> {
    const now = this.clock();
    const { secondFactor: _previous, ...rest } = session;
    const updated: SsoSession = {
      ...rest,
      attributes,
      warn,
      authenticatedAt: now,
      lastSeenAt: now,
      ...(secondFactor ? { secondFactor } : {}),
    };
    await this.save(updated);
    return updated;
  }

  /** The live sessions of a user (admin revocation). */
  async findByUser(user: string): Promise<SsoSession[]> {
    const items = await this.store.findByGroup(userGroup(user));
    return items.map(({ id, payload }) => ({ id, ...payload }));
  }

  /** Ends the session; returns it when it was still alive. */
  async end(id: string): Promise<SsoSession | undefined> {
    const payload = await this.store.consume(id);
    return payload && { id, ...payload };
  }

  private save(session: SsoSession): Promise<void> {
    const { id, ...payload } = session;
    const idleEnd = session.rememberMe
      ? session.endsAt
      : session.lastSeenAt + this.settings.idleTimeout * 1000;
    return this.store.upsert(id, payload, {
      expiresAt: Math.min(idleEnd, session.endsAt),
      groupId: userGroup(session.user),
    });
  }
}

/** Sessions are grouped by user so an administrator can end all of someone's sessions. */
function userGroup(user: string): string {
  return `user:${user}`;
}
