import { CasClientError } from './errors.ts';
import type { CasPrincipal } from './identity.ts';

/**
 * A database-agnostic stand-in for django-cas-ng's user model handling. Without `findUser` there are no
 * local users: every user the CAS server vouches for (and the identity rules accept) logs in.
 */
export interface UserHooks<U> {
  /** Looks the user up (`CAS_LOCAL_NAME_FIELD`: search on whatever field you like). */
  findUser?: (principal: CasPrincipal) => Promise<U | undefined>;
  /**
   * `CAS_CREATE_USER`: creates and configures (`configure_user`) a user seen for the first time.
   * Without it, unknown users are refused with `UNKNOWN_USER`.
   */
  createUser?: (principal: CasPrincipal) => Promise<U>;
  /** `user_can_authenticate`: false refuses the login with `INACTIVE_USER`. */
  isActive?: (user: U, principal: CasPrincipal) => boolean | Promise<boolean>;
  /** `CAS_APPLY_ATTRIBUTES_TO_USER`: runs at every login of a known or new user; returns the user to use. */
  updateUser?: (user: U, principal: CasPrincipal) => Promise<U>;
}

export async function resolveUser<U>(principal: CasPrincipal, hooks: UserHooks<U>): Promise<U | undefined> {
  if (hooks.findUser === undefined) return undefined;
  let user = await hooks.findUser(principal);
  if (user === undefined) {
    if (hooks.createUser === undefined) {
      throw new CasClientError('UNKNOWN_USER', `user "${principal.user}" has no local account`);
    }
    user = await hooks.createUser(principal);
  }
  if (hooks.isActive !== undefined && !(await hooks.isActive(user, principal))) {
    throw new CasClientError('INACTIVE_USER', `user "${principal.user}" is not active`);
  }
  return hooks.updateUser === undefined ? user : hooks.updateUser(user, principal);
}
