import type { Logger } from '../logging/logger.ts';
import type { SsoSession, SsoSessions } from '../sessions/sso-sessions.ts';
import type { ModelStore, StoredItem } from '../storage/types.ts';
import type { ServiceAccess } from '../tickets/ticket-payload.ts';
import type { TicketService } from '../tickets/ticket-service.ts';

export type EndReason = 'logout' | 'expired' | 'revoked' | 'replaced';

/** Notifies the services a session used that it ended (single logout); returns front-channel URLs. */
export interface SingleLogoutNotifier {
  sessionEnded(
    session: Pick<SsoSession, 'id' | 'user'>,
    accesses: StoredItem<ServiceAccess>[],
    reason: EndReason,
  ): Promise<string[]>;
}

/**
 * Ending an SSO session everywhere: the session, its tickets (ST, PT, PGT) and, through the notifier,
 * the applications it signed in to.
 */
export class SessionTermination {
  constructor(
    private readonly sessions: SsoSessions,
    private readonly tickets: TicketService,
    private readonly accesses: ModelStore<ServiceAccess>,
    private readonly logger: Logger,
    private readonly notifier?: SingleLogoutNotifier,
  ) {}

  /** Ends a live session by id; returns the front-channel logout URLs the browser should visit. */
  async end(sessionId: string, reason: EndReason): Promise<{ session?: SsoSession; frontChannel: string[] }> {
    const session = await this.sessions.end(sessionId);
    if (!session) return { frontChannel: [] };
    const frontChannel = await this.afterEnd(session, reason);
    this.logger.info({ user: session.user, reason }, 'SSO session ended');
    return { session, frontChannel };
  }

  /** Admin revocation: ends every live session of `user`, with single logout; returns how many. */
  async endAllOf(user: string): Promise<number> {
    let ended = 0;
    for (const { id } of await this.sessions.findByUser(user)) {
      if ((await this.end(id, 'revoked')).session) ended += 1;
    }
    return ended;
  }

  /** Cleans up after a session that is already gone from storage (expiry found by the sweeper). */
  async afterEnd(session: Pick<SsoSession, 'id' | 'user'>, reason: EndReason): Promise<string[]> {
    const [accesses] = await Promise.all([
      this.accesses.findByGroup(session.id),
      this.tickets.revokeSession(session.id),
    ]);
    const frontChannel = this.notifier ? await this.notifier.sessionEnded(session, accesses, reason) : [];
    await this.accesses.destroyByGroup(session.id);
    return frontChannel;
  }
}
