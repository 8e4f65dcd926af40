import type { UsherConfig } from '../config/load-config.ts';

/** The username as typed, trimmed, made into the one the sources look up (`login` settings). */
export function normalizeUsername(typed: string, settings: UsherConfig['login']): string {
  let username = typed.trim();
  // django-mama-cas LoginFormEmail: whatever follows the first @ is the domain, dropped.
  if (settings.usernameFromEmail) username = username.split('@')[0]!;
  return settings.usernameCase === 'lower' ? username.toLowerCase() : username;
}
