import { hashPassword, type Storage } from '@usher/server';

/** The demo's only account; its password is printed by `npm run demo`, as the data is thrown away at exit. */
export const DEMO_USER = {
  username: 'alice',
  password: 'wonderland',
  attributes: {
    displayName: ['Alice Liddell'],
    mail: ['alice@example.org'],
    memberOf: ['customers', 'staff'],
  },
};

export async function createDemoUser(storage: Storage): Promise<void> {
  const now = Date.now();
  await storage.users.create({
    username: DEMO_USER.username,
    passwordHash: await hashPassword(DEMO_USER.password),
    attributes: DEMO_USER.attributes,
    disabled: false,
    createdAt: now,
    updatedAt: now,
  });
}
