import type { Command } from 'commander';
import { openTotpSecret, sealTotpSecret, TotpSecretUnreadableError, totpKeys } from '../mfa/secret-box.ts';
import { newTotpSecret, totpUri } from '../mfa/totp.ts';
import {
  NO_LOCAL_PASSWORD,
  totpSecretOf,
  withStoredTotpSecret,
  withTotpSecret,
} from '../mfa/totp-enrolment.ts';
import { CliError } from './cli-error.ts';
import { chooseConfig } from './config-source.ts';
import { withStorage } from './with-storage.ts';

const UNENCRYPTED_NOTE =
  '  note: the secret is stored unencrypted; set auth.mfa.encryptionKey to encrypt secrets (README: two-step verification)';

/** `usher user mfa enroll|disable|encrypt`: the TOTP second factor of a user of any source. */
export function registerMfaCommands(user: Command, program: Command): void {
  const mfa = user.command('mfa').description('two-step verification (TOTP authenticator apps)');

  mfa
    .command('enroll <username>')
    .description(
      'give a user a TOTP secret and print it once, as an otpauth:// URI for the authenticator app; ' +
        'users of LDAP, SQL or REST sources get a local record holding only the secret',
    )
    .action(async (username: string) => {
      const { config } = chooseConfig(program.opts().config, { createIfMissing: false });
      const secret = newTotpSecret();
      const key = totpKeys(config.auth.mfa).current;
      await withStorage(config, async (storage) => {
        const now = Date.now();
        const existing = await storage.users.find(username);
        if (totpSecretOf(existing))
          throw new CliError(`user "${username}" is already enrolled (run "usher user mfa disable" first)`);
        const record = existing ?? {
          username,
          passwordHash: NO_LOCAL_PASSWORD,
          attributes: {},
          disabled: false,
          createdAt: now,
          updatedAt: now,
        };
        const enrolled = withTotpSecret(record, key ? sealTotpSecret(secret, username, key) : secret, now);
        const saved = existing ? await storage.users.update(enrolled) : await storage.users.create(enrolled);
        if (!saved) throw new CliError(`user "${username}" changed meanwhile; try again`);
      });
      console.log(
        `two-step verification enrolled for "${username}". Shown once; add it to the authenticator app:`,
      );
      console.log(`  ${totpUri(secret, username, config.auth.mfa.issuer)}`);
      console.log(`  secret (to type in by hand): ${secret}`);
      if (!key) console.log(UNENCRYPTED_NOTE);
    });

  mfa
    .command('encrypt')
    .description(
      'seal under auth.mfa.encryptionKey the TOTP secrets stored unencrypted (enrolled before it was set) ' +
        'or under one of auth.mfa.previousEncryptionKeys (key rotation); new enrolments are sealed already',
    )
    .action(async () => {
      const { config } = chooseConfig(program.opts().config, { createIfMissing: false });
      const keys = totpKeys(config.auth.mfa);
      const key = keys.current;
      if (!key)
        throw new CliError('set auth.mfa.encryptionKey first (32 bytes in base64: openssl rand -base64 32)');
      const resealed = { none: 0, previous: 0 };
      const unreadable: string[] = [];
      await withStorage(config, async (storage) => {
        for (const user of await storage.users.list()) {
          const stored = totpSecretOf(user);
          if (!stored) continue;
          let opened: ReturnType<typeof openTotpSecret>;
          try {
            opened = openTotpSecret(stored, user.username, keys);
          } catch (error) {
            if (!(error instanceof TotpSecretUnreadableError)) throw error;
            unreadable.push(user.username);
            continue;
          }
          if (opened.sealedWith === 'current') continue;
          const sealed = sealTotpSecret(opened.secret, user.username, key);
          if (await storage.users.update(withStoredTotpSecret(user, sealed, Date.now())))
            resealed[opened.sealedWith]++;
        }
      });
      console.log(`${resealed.none} TOTP secret(s) encrypted`);
      if (keys.previous.length > 0)
        console.log(`${resealed.previous} TOTP secret(s) moved from a previous key to the current one`);
      if (unreadable.length > 0)
        throw new CliError(
          `${unreadable.length} TOTP secret(s) open with no configured key, left as they are: ${unreadable.join(', ')}`,
        );
    });

  mfa
    .command('disable <username>')
    .description("remove a user's TOTP secret")
    .action(async (username: string) => {
      const { config } = chooseConfig(program.opts().config, { createIfMissing: false });
      await withStorage(config, async (storage) => {
        const existing = await storage.users.find(username);
        if (!totpSecretOf(existing)) throw new CliError(`user "${username}" has no two-step verification`);
        // A record that only held the secret has no reason to stay.
        if (existing!.passwordHash === NO_LOCAL_PASSWORD) await storage.users.remove(username);
        else await storage.users.update(withTotpSecret(existing!, undefined, Date.now()));
      });
      console.log(`two-step verification disabled for "${username}"`);
    });
}
