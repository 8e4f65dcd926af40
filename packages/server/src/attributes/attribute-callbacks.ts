import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { Attributes } from '../auth/authenticator.ts';
import { ConfigError } from '../config/config-error.ts';
import type { ServiceConfig } from '../config/schema.ts';
import type { Logger } from '../logging/logger.ts';

/** A django-mama-cas style attribute callback: extra attributes for `service` (the ticket's URL). */
export type AttributeCallback = (
  user: { username: string; attributes: Attributes },
  service: string,
) => Attributes | Promise<Attributes>;

interface LoadedCallback {
  spec: string;
  run: AttributeCallback;
}

// Liberal about what a callback returns (django-mama-cas 1.0 "non-string attribute values"):
// numbers and booleans become strings, a single value becomes a one-element list.
const value = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const callbackResult = z.record(z.string(), z.union([value.transform((v) => [v]), z.array(value)]));

/** The attribute callbacks of every service, loaded once at start-up. */
export class AttributeCallbacks {
  constructor(
    private readonly byService: ReadonlyMap<string, readonly LoadedCallback[]>,
    private readonly logger: Logger,
  ) {}

  static none(logger: Logger): AttributeCallbacks {
    return new AttributeCallbacks(new Map(), logger);
  }

  /**
   * Runs the service's callbacks in order, a later one replacing same-named attributes of an earlier
   * one. A callback that throws or returns anything but attributes is logged and skipped
   * (django-mama-cas 2.2 "Handle exceptions in attribute callbacks"): the sign-in goes on without it.
   */
  async attributesFor(
    serviceName: string,
    user: { username: string; attributes: Attributes },
    service: string,
  ): Promise<Attributes> {
    const merged = new Map<string, string[]>();
    for (const callback of this.byService.get(serviceName) ?? []) {
      try {
        const result = callbackResult.safeParse(
          await callback.run(
            { username: user.username, attributes: structuredClone(user.attributes) },
            service,
          ),
        );
        if (!result.success)
          throw new TypeError(`it returned no attributes (${result.error.issues[0]?.message})`);
        for (const [name, values] of Object.entries(result.data)) merged.set(name, values);
      } catch (error) {
        this.logger.warn(
          {
            service: serviceName,
            callback: callback.spec,
            reason: error instanceof Error ? error.message : String(error),
          },
          'attribute callback failed; skipped',
        );
      }
    }
    return Object.fromEntries(merged);
  }
}

/** Imports every service's `attributes.callbacks`; any that cannot be used stops the start-up. */
export async function loadAttributeCallbacks(
  services: readonly ServiceConfig[],
  logger: Logger,
  baseDir = process.cwd(),
): Promise<AttributeCallbacks> {
  const byService = new Map<string, LoadedCallback[]>();
  const problems: string[] = [];
  for (const [index, service] of services.entries()) {
    const loaded: LoadedCallback[] = [];
    for (const [position, spec] of service.attributes.callbacks.entries()) {
      try {
        loaded.push({ spec, run: await importCallback(spec, baseDir) });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        problems.push(`services.registry[${index}].attributes.callbacks[${position}]: ${reason}`);
      }
    }
    if (loaded.length > 0) byService.set(service.name, loaded);
  }
  if (problems.length > 0) throw new ConfigError('configuration', problems);
  return new AttributeCallbacks(byService, logger);
}

async function importCallback(spec: string, baseDir: string): Promise<AttributeCallback> {
  const hash = spec.lastIndexOf('#');
  const path = hash === -1 ? spec : spec.slice(0, hash);
  const exportName = hash === -1 ? 'default' : spec.slice(hash + 1);
  const module = (await import(pathToFileURL(resolve(baseDir, path)).href)) as Record<string, unknown>;
  const callback = module[exportName];
  if (typeof callback !== 'function') throw new TypeError(`${path} has no function export "${exportName}"`);
  return callback as AttributeCallback;
}
