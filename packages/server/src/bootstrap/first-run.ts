import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { hashPassword } from '../auth/password-hash.ts';
import type { Storage } from '../storage/types.ts';

export const DEMO_USERNAME = 'demo';

function initialConfig(): string {
  return `# Usher configuration, written on first start. Every setting and its default: README.md#configuration
server:
  host: 127.0.0.1
  port: 8080
storage:
  kind: sqlite
  path: ./data/usher.db
auth:
  mfa:
    # Encrypts the TOTP secrets of two-step verification, generated for this installation. Keep it with
    # your backups of the database: without it, users enrolled in two-step verification must enrol again.
    encryptionKey: ${randomBytes(32).toString('base64')}
# Serves /demo/, a stand-in application registered automatically, to try single sign-on from a browser.
demo:
  enabled: true
services:
  registry: []
  # Register your applications here, for example:
  # registry:
  #   - name: Shop
  #     match: prefix
  #     pattern: https://shop.example.org/
  #     attributes:
  #       allow: [mail, displayName, memberOf]
`;
}

/** Writes the starter configuration unless a file is already there; returns whether it wrote one. */
export function writeInitialConfig(path: string): boolean {
  if (existsSync(path)) return false;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, initialConfig(), { flag: 'wx', mode: 0o600 });
  return true;
}

/**
 * Creates the demo user when there are no users at all (so an existing installation is never touched);
 * returns its one-time printed password.
 */
export async function createDemoUserIfEmpty(storage: Storage, now: number): Promise<string | undefined> {
  if ((await storage.users.count()) > 0) return undefined;
  const password = randomBytes(9).toString('base64url');
  const created = await storage.users.create({
    username: DEMO_USERNAME,
    passwordHash: await hashPassword(password),
    attributes: {
      displayName: ['Demo User'],
      mail: ['demo@example.org'],
      memberOf: ['staff', 'demo'],
    },
    disabled: false,
    createdAt: now,
    updatedAt: now,
  });
  return created ? password : undefined;
}
