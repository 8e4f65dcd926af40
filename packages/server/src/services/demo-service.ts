import type { ServiceConfig } from '../config/schema.ts';

/** The built-in /demo/ stand-in application, registered when `demo.enabled` is set. */
export function demoService(publicUrl: string): ServiceConfig {
  return {
    name: 'Demo service',
    match: 'prefix',
    pattern: `${publicUrl}/demo/`,
    enabled: true,
    order: 0,
    description: 'Built-in page that shows the ticket it receives (demo.enabled)',
    attributes: { allow: ['*'], rename: {}, rewrite: {}, require: {}, callbacks: [] },
    singleLogout: false,
    logoutMode: 'back-channel',
    proxy: { allowed: false, callbackPattern: '', targets: [] },
  };
}
