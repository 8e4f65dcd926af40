import type { Attributes } from '@usher/protocol';
import { CasClientError } from './errors.ts';

/** What the CAS server said about the user, before this application's rules. */
export interface CasValidation {
  user: string;
  attributes: Attributes;
  /** IOU of the proxy granting ticket, when a `proxyCallbackUrl` was sent and the server called it. */
  pgtIou: string | undefined;
  /** Proxy chain of a proxy ticket, most recent first; empty for a service ticket. */
  proxies: string[];
}

/** The user as this application knows it: what adapters keep in the session. */
export interface CasPrincipal {
  user: string;
  attributes: Attributes;
}

/** django-cas-ng's username and attribute settings. */
export interface IdentityOptions {
  /** `CAS_FORCE_CHANGE_USERNAME_CASE`; as sent by the server when unset. */
  usernameCase?: 'lower' | 'upper';
  /**
   * `CASBackend.clean_username`: the last change to the user name (after `usernameCase`), e.g. dropping a
   * realm (`alice@EXAMPLE.ORG` → `alice`). An empty result refuses the login (`USERNAME_REJECTED`).
   */
  cleanUsername?: (user: string) => string | Promise<string>;
  /** `CAS_USERNAME_ATTRIBUTE`: take the user id from this (single-valued) attribute, not from `cas:user`. */
  usernameAttribute?: string;
  /** `CAS_RENAME_ATTRIBUTES`: CAS name → local name; a renamed attribute replaces one of the same name. */
  renameAttributes?: Readonly<Record<string, string>>;
  /**
   * `bad_attributes_reject`: return a reason to refuse the login (code `ATTRIBUTES_REJECTED`), or undefined.
   * Sees the final user name and the renamed attributes.
   */
  rejectAttributes?: (principal: CasPrincipal) => string | undefined | Promise<string | undefined>;
}

export async function mapIdentity(
  validation: CasValidation,
  options: IdentityOptions,
): Promise<CasPrincipal> {
  const changed = changeCase(pickUsername(validation, options.usernameAttribute), options.usernameCase);
  const user = options.cleanUsername ? await options.cleanUsername(changed) : changed;
  if (typeof user !== 'string' || user.trim() === '')
    throw new CasClientError('USERNAME_REJECTED', `cleanUsername turned "${changed}" into no user name`);
  const principal = { user, attributes: renameAttributes(validation.attributes, options.renameAttributes) };
  const reason = await options.rejectAttributes?.(principal);
  if (reason !== undefined) throw new CasClientError('ATTRIBUTES_REJECTED', reason);
  return principal;
}

function pickUsername(validation: CasValidation, attribute: string | undefined): string {
  if (attribute === undefined) return validation.user;
  const values = Object.hasOwn(validation.attributes, attribute) ? validation.attributes[attribute]! : [];
  // Several values would make the identity depend on the server's ordering: refuse rather than guess.
  if (values.length !== 1 || values[0]!.trim() === '') {
    throw new CasClientError(
      'USERNAME_ATTRIBUTE_MISSING',
      `attribute "${attribute}" must hold exactly one non-empty value, got ${values.length}`,
    );
  }
  return values[0]!.trim();
}

function changeCase(user: string, usernameCase: IdentityOptions['usernameCase']): string {
  if (usernameCase === 'lower') return user.toLowerCase();
  if (usernameCase === 'upper') return user.toUpperCase();
  return user;
}

function renameAttributes(attributes: Attributes, renames: IdentityOptions['renameAttributes']): Attributes {
  if (renames === undefined) return attributes;
  const renamed: Attributes = Object.create(null);
  for (const [name, values] of Object.entries(attributes)) {
    if (Object.hasOwn(renames, name)) continue;
    renamed[name] = values;
  }
  for (const [name, values] of Object.entries(attributes)) {
    if (Object.hasOwn(renames, name)) renamed[renames[name]!] = values;
  }
  return renamed;
}
