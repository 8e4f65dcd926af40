import type { Command } from 'commander';
import { proxyCallbackRefusal } from '../proxy/proxy-policy.ts';
import { registryFromConfig } from '../services/registry-from-config.ts';
import type { RegisteredService } from '../services/service-registry.ts';
import { CliError } from './cli-error.ts';
import { chooseConfig } from './config-source.ts';

function describe(service: RegisteredService): string[] {
  const c = service.config;
  return [
    `Service: ${service.name} (${c.match} ${c.pattern}, order ${c.order})`,
    `Enabled: ${c.enabled ? 'yes' : 'no'}`,
    `Attributes released: ${c.attributes.allow.length ? c.attributes.allow.join(', ') : '(none)'}`,
    `Single logout: ${c.singleLogout ? `${c.logoutMode} to ${c.logoutUrl ?? 'the service URL'}` : 'no'}`,
    `Proxy allowed: ${c.proxy.allowed ? 'yes' : 'no'}`,
  ];
}

export function registerServiceCommands(program: Command): void {
  const service = program.command('service').description('inspect the service registry');

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
}
