import type { Command } from 'commander';
import { newTotpSecret, totpUri } from '../mfa/totp.ts';
import { NO_LOCAL_PASSWORD, totpSecretOf, withTotpSecret } from '../mfa/totp-enrolment.ts';
import { CliError } from './cli-error.ts';
import { chooseConfig } from './config-source.ts';
import { withStorage } from './with-storage.ts';

/** `usher user mfa enroll|disable <username>`: the TOTP second factor of a user of any source. */
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
        const enrolled = withTotpSecret(record, secret, now);
        const saved = existing ? await storage.users.update(enrolled) : await storage.users.create(enrolled);
        if (!saved) throw new CliError(`user "${username}" changed meanwhile; try again`);
      });
      console.log(
        `two-step verification enrolled for "${username}". Shown once; add it to the authenticator app:`,
      );
      console.log(`  ${totpUri(secret, username, config.auth.mfa.issuer)}`);
      console.log(`  secret (to type in by hand): ${secret}`);
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
