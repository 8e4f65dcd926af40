import type { CasPrincipal } from '../identity.ts';

/** What the adapters keep under one key of the framework's session. Plain JSON. */
export interface CasSessionState {
  principal?: CasPrincipal;
  /** Service ticket of the login: the key single logout finds this session by. */
  ticket?: string;
  pgtIou?: string;
  /** The login was validated with `renew=true` (primary credentials): what `requireLogin({ renew })` asks. */
  renewed?: boolean;
  /** When the optional-login guard last asked the server (gateway), in ms since the epoch. */
  gatewayTriedAt?: number;
  /** `next` kept here rather than in the service URL (`storeNext`). */
  next?: string;
}

/** The few session operations the flow needs; each adapter implements them over its framework's session. */
export interface SessionPort {
  read(): CasSessionState | undefined;
  write(state: CasSessionState): Promise<void>;
  /** A fresh session (new id, against session fixation) holding only `state`; returns the new id. */
  start(state: CasSessionState): Promise<string>;
  destroy(): Promise<void>;
  /** Destroys the session with this id, whoever's it is (single logout), through the session store. */
  destroyById(sessionId: string): Promise<void>;
}
