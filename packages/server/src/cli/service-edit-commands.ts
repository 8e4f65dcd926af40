import { existsSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type Document, isMap, isSeq, type YAMLSeq } from 'yaml';
import { editConfigFile } from '../config/edit-config-file.ts';
import { variablesSetting } from '../config/env-overrides.ts';
import { CliError } from './cli-error.ts';
import { chooseConfig } from './config-source.ts';

interface AddOptions {
  match: 'regex' | 'exact' | 'prefix';
  attributes?: string[];
  description?: string;
  order?: number;
  logoutUrl?: string;
  singleLogout: boolean;
  proxy: boolean;
  disabled: boolean;
}

/**
 * `service add|remove|enable|disable`: change `services.registry` in the configuration file, keeping its
 * comments, and refuse a result that would not load. A running server applies the change on SIGHUP.
 */
export function registerServiceEditCommands(service: Command, program: Command): void {
  const edit = (done: string, change: (registry: YAMLSeq, doc: Document) => void) => {
    const file = configFile(program);
    editConfigFile(file, (doc) => change(registryOf(doc), doc));
    console.log(`${done} in ${file}.`);
    const overriding = variablesSetting(['services.registry'], process.env);
    if (overriding.length > 0)
      console.log(`Note: ${overriding.join(', ')} also set services.registry, and win over the file.`);
    console.log(
      'A running server applies it on SIGHUP (kill -HUP <pid from its banner>) or at its next start.',
    );
  };

  service
    .command('add <name> <pattern>')
    .description('register a service in the configuration file')
    .addOption(
      new Option('--match <kind>', 'how the pattern is compared with service URLs')
        .choices(['prefix', 'exact', 'regex'])
        .default('prefix'),
    )
    .option('--attributes <names>', 'attributes released, comma-separated (* for all)', commaList)
    .option('--description <text>', 'free text for administrators')
    .option('--order <n>', 'evaluation order, lowest first', wholeNumber)
    .option('--logout-url <url>', 'where logout requests go (default: the service URL)')
    .option('--no-single-logout', 'send this service no logout requests')
    .option('--proxy', 'allow the service to obtain proxy tickets', false)
    .option('--disabled', 'register it disabled (an error page, never a ticket)', false)
    .action((name: string, pattern: string, options: AddOptions) =>
      edit(`Registered service ${name} (${options.match} ${pattern})`, (registry, doc) => {
        if (indexOf(registry, name) >= 0) throw new CliError(`a service named ${name} is already registered`);
        registry.add(doc.createNode(serviceEntry(name, pattern, options)));
      }),
    );

  service
    .command('remove <name>')
    .description('remove a service from the configuration file')
    .action((name: string) =>
      edit(`Removed service ${name}`, (registry) => {
        registry.delete(existingIndex(registry, name));
      }),
    );

  for (const enabled of [true, false]) {
    const verb = enabled ? 'enable' : 'disable';
    service
      .command(`${verb} <name>`)
      .description(`${verb} a service in the configuration file`)
      .action((name: string) =>
        edit(`${enabled ? 'Enabled' : 'Disabled'} service ${name}`, (registry) => {
          registry.setIn([existingIndex(registry, name), 'enabled'], enabled);
        }),
      );
  }
}

/** Only the keys the options set: the file stays as short as what was asked for. */
function serviceEntry(name: string, pattern: string, options: AddOptions): Record<string, unknown> {
  return {
    name,
    match: options.match,
    pattern,
    ...(options.disabled ? { enabled: false } : {}),
    ...(options.order !== undefined ? { order: options.order } : {}),
    ...(options.description ? { description: options.description } : {}),
    ...(options.attributes ? { attributes: { allow: options.attributes } } : {}),
    ...(options.singleLogout ? {} : { singleLogout: false }),
    ...(options.logoutUrl ? { logoutUrl: options.logoutUrl } : {}),
    ...(options.proxy ? { proxy: { allowed: true } } : {}),
  };
}

/** The file to change: it must exist, since the defaults and the environment alone have no file to keep. */
function configFile(program: Command): string {
  const { file } = chooseConfig(program.opts().config, { createIfMissing: false });
  if (!existsSync(file))
    throw new CliError(
      `no configuration file at ${file}: start the server once (npm start), or pass --config`,
    );
  return file;
}

function registryOf(doc: Document): YAMLSeq {
  if (!doc.hasIn(['services', 'registry'])) doc.setIn(['services', 'registry'], doc.createNode([]));
  const registry = doc.getIn(['services', 'registry']);
  if (!isSeq(registry)) throw new CliError('services.registry in the file is not a list');
  // `registry: []` (the first-run file) would keep its flow style and put every new service on one line.
  if (registry.items.length === 0) registry.flow = false;
  return registry;
}

function indexOf(registry: YAMLSeq, name: string): number {
  return registry.items.findIndex((item) => isMap(item) && item.get('name') === name);
}

function existingIndex(registry: YAMLSeq, name: string): number {
  const index = indexOf(registry, name);
  if (index < 0) throw new CliError(`no service named ${name} in the file (see: usher service list)`);
  return index;
}

function commaList(value: string): string[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError('one or more names, comma-separated');
  return names;
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('a whole number');
  return n;
}
