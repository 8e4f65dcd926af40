import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CasSessionState, SessionPort } from '../flow/session-state.ts';
import type { CasStore } from '../stores/cas-store.ts';
import { MemoryCasStore } from '../stores/memory-store.ts';

export interface HonoSessionOptions {
  /** Where sessions live; default in memory (one process). Use a `RedisCasStore` for several. */
  store?: CasStore;
  /** Default `usher.sid`. */
  cookieName?: string;
  /** Session lifetime, cookie and store alike; default 8 hours. */
  ttlMs?: number;
  /** `Secure` cookie; default true when the service URL is HTTPS. */
  secure?: boolean;
}

/**
 * Hono has no session of its own: this is the smallest server-side one, a random id in an HttpOnly
 * cookie and the CAS state in a `CasStore`. Server-side, so single logout can destroy any session by id.
 */
export class HonoSessions {
  readonly #store: CasStore;
  readonly #cookieName: string;
  readonly #ttlMs: number;
  readonly #secure: boolean;
  readonly #loaded = new WeakMap<Request, SessionPort>();

  constructor(options: HonoSessionOptions & { secure: boolean }) {
    this.#store = options.store ?? new MemoryCasStore();
    this.#cookieName = options.cookieName ?? 'usher.sid';
    this.#ttlMs = options.ttlMs ?? 8 * 3_600_000;
    this.#secure = options.secure;
  }

  /** The session of this request, read once from the store. */
  async load(c: Context): Promise<SessionPort> {
    const cached = this.#loaded.get(c.req.raw);
    if (cached !== undefined) return cached;
    let id = getCookie(c, this.#cookieName);
    let state = id === undefined ? undefined : parse(await this.#store.get(key(id)));
    if (state === undefined) id = undefined;
    const save = async (next: CasSessionState, fresh: boolean) => {
      if (fresh && id !== undefined) await this.#store.delete(key(id));
      if (fresh || id === undefined) {
        id = randomBytes(32).toString('base64url');
        setCookie(c, this.#cookieName, id, {
          httpOnly: true,
          sameSite: 'Lax',
          secure: this.#secure,
          path: '/',
          maxAge: Math.floor(this.#ttlMs / 1000),
        });
      }
      state = next;
      await this.#store.set(key(id), JSON.stringify(next), this.#ttlMs);
      return id;
    };
    const port: SessionPort = {
      read: () => state,
      write: async (next) => {
        await save(next, false);
      },
      start: (next) => save(next, true),
      destroy: async () => {
        if (id !== undefined) await this.#store.delete(key(id));
        deleteCookie(c, this.#cookieName, { path: '/' });
        id = undefined;
        state = undefined;
      },
      destroyById: (other) => (other === id ? port.destroy() : this.destroy(other)),
    };
    this.#loaded.set(c.req.raw, port);
    return port;
  }

  /** Whatever session has this id (single logout). */
  destroy(id: string): Promise<void> {
    return this.#store.delete(key(id));
  }

  /** The session of this request when already loaded by a guard, a CAS route or the `session` middleware. */
  peek(c: Context): SessionPort | undefined {
    return this.#loaded.get(c.req.raw);
  }
}

const key = (id: string): string => `session:${id}`;

function parse(json: string | undefined): CasSessionState | undefined {
  if (json === undefined) return undefined;
  try {
    return JSON.parse(json) as CasSessionState;
  } catch {
    return undefined;
  }
}
