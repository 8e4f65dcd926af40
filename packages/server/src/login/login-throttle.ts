import type { UsherConfig } from '../config/load-config.ts';
import type { RateLimitStore } from '../storage/types.ts';

/** Caps password attempts per username and per client address within a window. */
export class LoginThrottle {
  constructor(
    private readonly store: RateLimitStore,
    private readonly settings: UsherConfig['throttle'],
  ) {}

  /** Counts an attempt; false when the username or the address is over its limit. */
  async allow(username: string, address: string): Promise<boolean> {
    const windowMs = this.settings.window * 1000;
    const [perUser, perAddress] = await Promise.all([
      this.store.hit(`login:user:${username.toLowerCase()}`, windowMs),
      this.store.hit(`login:addr:${address}`, windowMs),
    ]);
    return perUser <= this.settings.maxAttemptsPerUser && perAddress <= this.settings.maxAttemptsPerAddress;
  }

  async succeeded(username: string): Promise<void> {
    await this.store.reset(`login:user:${username.toLowerCase()}`);
  }
}
