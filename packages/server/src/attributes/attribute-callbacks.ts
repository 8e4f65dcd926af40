import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { Attributes } from '../auth/authenticator.ts';
import { ConfigError, type ConfigProblem, problemAt } from '../config/config-error.ts';
import type { UsherConfig } from '../config/load-config.ts';
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

/** The attribute callbacks of every service, and those run for all services, loaded once at start-up. */
export class AttributeCallbacks {
  constructor(
    private readonly byService: ReadonlyMap<string, readonly LoadedCallback[]>,
    private readonly logger: Logger,
    private readonly forAll: readonly LoadedCallback[] = [],
  ) {}

  static none(logger: Logger): AttributeCallbacks {
    return new AttributeCallbacks(new Map(), logger);
  }

  /**
   * Runs the callbacks for all services, then the service's own, in order, a later one replacing
   * same-named attributes of an earlier one. A callback that throws or returns anything but attributes is logged and skipped
   * (django-mama-cas 2.2 "Handle exceptions in attribute callbacks"): the sign-in goes on without it.
   */
  async attributesFor(
    serviceName: string,
    user: { username: string; attributes: Attributes },
    service: string,
  ): Promise<Attributes> {
    const merged = new Map<string, string[]>();
    for (const callback of [...this.forAll, ...(this.byService.get(serviceName) ?? [])]) {
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

/**
 * Imports `services.attributeCallbacks` and every service's `attributes.callbacks`; any that cannot be used
 * stops the start-up.
 */
export async function loadAttributeCallbacks(
  services: Pick<UsherConfig['services'], 'registry' | 'attributeCallbacks'>,
  logger: Logger,
  baseDir = process.cwd(),
): Promise<AttributeCallbacks> {
  const problems: ConfigProblem[] = [];
  const load = async (specs: readonly string[], setting: string): Promise<LoadedCallback[]> => {
    const loaded: LoadedCallback[] = [];
    for (const [position, spec] of specs.entries()) {
      try {
        loaded.push({ spec, run: await importCallback(spec, baseDir) });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        problems.push(problemAt(`${setting}[${position}]`, reason));
      }
    }
    return loaded;
  };
  const forAll = await load(services.attributeCallbacks, 'services.attributeCallbacks');
  const byService = new Map<string, LoadedCallback[]>();
  for (const [index, service] of services.registry.entries()) {
    const loaded = await load(
      service.attributes.callbacks,
      `services.registry[${index}].attributes.callbacks`,
    );
    if (loaded.length > 0) byService.set(service.name, loaded);
  }
  if (problems.length > 0) throw new ConfigError('configuration', problems);
  return new AttributeCallbacks(byService, logger, forAll);
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
