import type { Command } from 'commander';
import { hashPassword } from '../auth/password-hash.ts';
import {
  isReservedAttribute,
  NO_LOCAL_PASSWORD,
  publicAttributes,
  totpSecretOf,
} from '../mfa/totp-enrolment.ts';
import type { Storage, UserRecord } from '../storage/types.ts';
import { CliError } from './cli-error.ts';
import { chooseConfig } from './config-source.ts';
import { registerMfaCommands } from './mfa-commands.ts';
import { readNewPassword } from './read-password.ts';
import { withSingleLogout } from './with-single-logout.ts';
import { withStorage } from './with-storage.ts';

const USERNAME = /^[^\s\u0000-\u001f\u007f]{1,256}$/u;

function checkUsername(username: string): string {
  if (!USERNAME.test(username))
    throw new CliError(
      `invalid username "${username}": 1-256 characters, no spaces or control characters`,
      2,
    );
  return username;
}

/** `--attr mail=a@b.org --attr memberOf=staff --attr memberOf=admins` → multi-valued attributes. */
function parseAttributes(pairs: string[]): Record<string, string[]> {
  const attributes: Record<string, string[]> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`invalid --attr "${pair}": expected name=value`, 2);
    const name = pair.slice(0, eq);
    if (isReservedAttribute(name)) throw new CliError(`invalid --attr "${pair}": the name is reserved`, 2);
    attributes[name] = [...(attributes[name] ?? []), pair.slice(eq + 1)];
  }
  return attributes;
}

async function newPassword(fromStdin: boolean): Promise<string> {
  const password = await readNewPassword(fromStdin);
  if (password.length < 8) throw new CliError('the password must have at least 8 characters', 2);
  return password;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('manage local users (argon2id password hashes)');

  user
    .command('add <username>')
    .description('create a user; the password is prompted for, or read from stdin with --password-stdin')
    .option('--attr <name=value>', 'attribute (repeat for several values)', collect, [])
    .option('--password-stdin', 'read the password from standard input')
    .option('--disabled', 'create the account disabled')
    .action(
      async (username: string, opts: { attr: string[]; passwordStdin?: boolean; disabled?: boolean }) => {
        const { config } = chooseConfig(program.opts().config, { createIfMissing: false });
        const attributes = parseAttributes(opts.attr);
        await withStorage(config, async (storage) => {
          const taken = `user "${username}" already exists (use "usher user passwd")`;
          // Before asking for a password that could not be used.
          if (await storage.users.find(username)) throw new CliError(taken);
          const password = await newPassword(!!opts.passwordStdin);
          const now = Date.now();
          const created = await storage.users.create({
            username: checkUsername(username),
            passwordHash: await hashPassword(password),
            attributes,
            disabled: !!opts.disabled,
            createdAt: now,
            updatedAt: now,
          });
          if (!created) throw new CliError(taken);
        });
        console.log(`user "${username}" created`);
      },
    );

  user
    .command('passwd <username>')
    .description("change a user's password")
    .option('--password-stdin', 'read the password from standard input')
    .action(async (username: string, opts: { passwordStdin?: boolean }) => {
      const { config } = chooseConfig(program.opts().config, { createIfMissing: false });
      await withStorage(config, async (storage) => {
        // Before asking for a password that could not be used.
        if (!(await storage.users.find(username))) throw new CliError(`no user "${username}"`);
        const password = await newPassword(!!opts.passwordStdin);
        // Read again after the prompt, so that changes made meanwhile (attributes, removal) are kept.
        const existing = await storage.users.find(username);
        if (!existing) throw new CliError(`no user "${username}"`);
        await storage.users.update({
          ...existing,
          passwordHash: await hashPassword(password),
          updatedAt: Date.now(),
        });
      });
      console.log(`password of "${username}" changed`);
    });

  user
    .command('remove <username>')
    .description('delete a user')
    .action(async (username: string) => {
      const { config } = chooseConfig(program.opts().config, { createIfMissing: false });
      const removed = await withStorage(config, (storage) => storage.users.remove(username));
      if (!removed) throw new CliError(`no user "${username}"`);
      console.log(`user "${username}" removed`);
    });

  user
    .command('list')
    .description('list users and their attributes')
    .action(async () => {
      const { config } = chooseConfig(program.opts().config, { createIfMissing: false });
      const users = await withStorage(config, (storage) => storage.users.list());
      if (users.length === 0) console.log('no users');
      for (const u of users) {
        const attrs = Object.entries(publicAttributes(u.attributes))
          .map(([k, v]) => `${k}=${v.join(',')}`)
          .join(' ');
        const flags = [
          u.disabled && '(disabled)',
          u.passwordHash === NO_LOCAL_PASSWORD && '(no local password)',
          totpSecretOf(u) && '(mfa)',
        ].filter(Boolean);
        console.log([u.username, ...flags].join(' ') + (attrs ? `  ${attrs}` : ''));
      }
    });

  user
    .command('attr <username>')
    .description("set or remove a user's attributes; the others stay")
    .option('--attr <name=value>', 'set this attribute (repeat for several values)', collect, [])
    .option('--unset <name>', 'remove this attribute', collect, [])
    .action(async (username: string, opts: { attr: string[]; unset: string[] }) => {
      const { config } = chooseConfig(program.opts().config, { createIfMissing: false });
      const set = parseAttributes(opts.attr);
      const reserved = opts.unset.find(isReservedAttribute);
      if (reserved) throw new CliError(`invalid --unset "${reserved}": the name is reserved`, 2);
      if (Object.keys(set).length === 0 && opts.unset.length === 0)
        throw new CliError('nothing to change: give --attr name=value or --unset name', 2);
      await withStorage(config, async (storage) => {
        const existing = await localUser(storage, username);
        const attributes = { ...existing.attributes, ...set };
        for (const name of opts.unset) delete attributes[name];
        await storage.users.update({ ...existing, attributes, updatedAt: Date.now() });
      });
      console.log(`attributes of "${username}" changed`);
    });

  user
    .command('enable <username>')
    .description('let a disabled user sign in again')
    .action(async (username: string) => {
      const { config } = chooseConfig(program.opts().config, { createIfMissing: false });
      await withStorage(config, (storage) => setDisabled(storage, username, false));
      console.log(`user "${username}" enabled`);
    });

  user
    .command('disable <username>')
    .description(
      'refuse the user at sign-in and end their SSO sessions, with single logout to their services',
    )
    .action(async (username: string) => {
      const { config } = chooseConfig(program.opts().config, { createIfMissing: false });
      await withSingleLogout(config, async ({ storage, termination }) => {
        await setDisabled(storage, username, true);
        const ended = await termination.endAllOf(username);
        console.log(`user "${username}" disabled; ${ended} session(s) ended`);
      });
    });

  registerMfaCommands(user, program);
}

/** A local user (not the MFA-only record of a user of another source), or a CLI error. */
async function localUser(storage: Storage, username: string): Promise<UserRecord> {
  const existing = await storage.users.find(username);
  if (!existing || existing.passwordHash === NO_LOCAL_PASSWORD) throw new CliError(`no user "${username}"`);
  return existing;
}

async function setDisabled(storage: Storage, username: string, disabled: boolean): Promise<void> {
  const existing = await localUser(storage, username);
  await storage.users.update({ ...existing, disabled, updatedAt: Date.now() });
}
