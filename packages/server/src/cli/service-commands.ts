import type { Command } from 'commander';
import { proxyCallbackRefusal } from '../proxy/proxy-policy.ts';
import { registryFromConfig } from '../services/registry-from-config.ts';
import type { RegisteredService } from '../services/service-registry.ts';
import { CliError } from './cli-error.ts';
import { chooseConfig } from './config-source.ts';
import { registerServiceEditCommands } from './service-edit-commands.ts';

/** Every policy of a service, like django-mama-cas checkservice; rules left at their default are not listed. */
function describe(service: RegisteredService): string[] {
  const c = service.config;
  const a = c.attributes;
  const listed = (label: string, values: string[]) =>
    values.length ? [`${label}: ${values.join(', ')}`] : [];
  return [
    `Service: ${service.name} (${c.match} ${c.pattern}, order ${c.order})`,
    ...(c.description ? [`Description: ${c.description}`] : []),
    `Enabled: ${c.enabled ? 'yes' : 'no'}`,
    `Attributes released: ${a.allow.length ? a.allow.join(', ') : '(none)'}`,
    ...listed(
      'Attributes renamed',
      Object.entries(a.rename).map(([from, to]) => `${from} as ${to}`),
    ),
    ...listed(
      'Attributes rewritten',
      Object.entries(a.rewrite).map(([name, { pattern, replace }]) => `${name} /${pattern}/ to "${replace}"`),
    ),
    ...listed(
      'Access requires',
      Object.entries(a.require).map(([name, values]) => `${name} in [${values.join(', ')}]`),
    ),
    ...(a.userAttribute ? [`CAS user from attribute: ${a.userAttribute}`] : []),
    ...listed('Attribute callbacks', a.callbacks),
    `Single logout: ${c.singleLogout ? `${c.logoutMode} to ${c.logoutUrl ?? 'the service URL'}` : 'no'}`,
    `Proxy allowed: ${c.proxy.allowed ? 'yes' : 'no'}`,
    ...(c.proxy.allowed
      ? [
          `Proxy callbacks matching: ${c.proxy.callbackPattern || "the service's own pattern"}`,
          `Proxy targets: ${c.proxy.targets.length ? c.proxy.targets.join(', ') : '(any registered service)'}`,
        ]
      : []),
  ];
}

export function registerServiceCommands(program: Command): void {
  const service = program.command('service').description('inspect and change the service registry');

  service
    .command('list')
    .description('list registered services in evaluation order')
    .action(() => {
      const { config } = chooseConfig(program.opts().config, { createIfMissing: false });
      const registry = registryFromConfig(config);
      if (config.services.openMode)
        console.log('WARNING: services.openMode is on: any http(s) URL may receive tickets');
      const services = registry.list();
      if (services.length === 0) console.log('no services registered');
      for (const s of services) {
        console.log(`${s.config.enabled ? ' ' : '-'} ${s.name}\t${s.config.match}\t${s.config.pattern}`);
      }
    });

  service
    .command('check <url> [pgtUrl]')
    .description('show which registered service a URL matches and its policy (exit 1 when none)')
    .action((url: string, pgtUrl: string | undefined) => {
      const { config } = chooseConfig(program.opts().config, { createIfMissing: false });
      const lookup = registryFromConfig(config).lookup(url);
      if (lookup.kind === 'unknown')
        throw new CliError(`Invalid service: ${url} (no registered service matches)`);
      console.log(`${lookup.kind === 'allowed' ? 'Valid' : 'Disabled'} service: ${lookup.url}`);
      for (const line of describe(lookup.service)) console.log(line);
      if (pgtUrl !== undefined) {
        const refusal = proxyCallbackRefusal(lookup.service.config, pgtUrl, config.proxy);
        console.log(
          `Proxy callback allowed: ${refusal ? `no (${refusal.code}: ${refusal.message})` : 'yes'}`,
        );
      }
      if (lookup.kind === 'disabled') process.exitCode = 1;
    });

  registerServiceEditCommands(service, program);
}
