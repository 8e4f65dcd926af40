import type { UsherConfig } from '../config/load-config.ts';
import { demoService } from './demo-service.ts';
import { ServiceRegistry } from './service-registry.ts';

/**
 * The registry a configuration describes, with the demo service when the demo is on; with
 * `singleLogout.enabled: false`, no service gets single logout.
 */
export function registryFromConfig(config: UsherConfig): ServiceRegistry {
  const services = config.demo.enabled
    ? [...config.services.registry, demoService(config.server.publicUrl)]
    : config.services.registry;
  return new ServiceRegistry(services, {
    openMode: config.services.openMode,
    singleLogout: config.singleLogout.enabled,
  });
}
