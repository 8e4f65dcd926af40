import cluster from 'node:cluster';
import { type Command, InvalidArgumentError } from 'commander';
import { createDemoUserIfEmpty, DEMO_USERNAME } from '../bootstrap/first-run.ts';
import { ConfigError } from '../config/config-error.ts';
import { blameSettings, type UsherConfig } from '../config/load-config.ts';
import { demoService } from '../services/demo-service.ts';
import { chooseConfig } from './config-source.ts';
import { holdHangupsUntilReady } from './reload-on-hangup.ts';
import { runServer } from './run-server.ts';
import { serveWithWorkers } from './serve-workers.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the CAS server')
    .option('-w, --workers <count>', 'processes serving the port (default: server.workers)', parseWorkerCount)
    .action(async (options: { workers?: number }) => {
      const releaseHangups = holdHangupsUntilReady();
      const { config, file, created } = chooseConfig(program.opts().config, {
        createIfMissing: cluster.isPrimary,
      });
      const readConfig = () => chooseConfig(program.opts().config, { createIfMissing: false }).config;
      const workers = options.workers ?? config.server.workers;
      let demoPassword: string | undefined;
      try {
        if (cluster.isWorker) await runServer(config, readConfig);
        else if (workers > 1) demoPassword = await serveWithWorkers(config, workers);
        else demoPassword = await serveAlone(config, readConfig);
      } catch (error) {
        // Problems found while starting (a file a setting names) are the configuration's too.
        throw error instanceof ConfigError ? blameSettings(error, file) : error;
      }
      releaseHangups();
      if (cluster.isWorker) return;
      printBanner({
        publicUrl: config.server.publicUrl,
        file,
        created,
        demoPassword,
        demo: config.demo.enabled,
        workers,
        logFile: config.logging.file,
      });
    });
}

async function serveAlone(config: UsherConfig, readConfig: () => UsherConfig): Promise<string | undefined> {
  const server = await runServer(config, readConfig);
  return config.demo.enabled ? createDemoUserIfEmpty(server.storage, Date.now()) : undefined;
}

function parseWorkerCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError('a whole number of at least 1');
  return count;
}

function printBanner(info: {
  publicUrl: string;
  file: string;
  created: boolean;
  demoPassword?: string;
  demo: boolean;
  workers: number;
  logFile?: string;
}) {
  const lines = [
    `Usher CAS server listening on ${info.publicUrl}${info.workers > 1 ? ` (${info.workers} workers)` : ''}`,
    `  configuration: ${info.file}${info.created ? ' (created now)' : ''}`,
    `  process: ${process.pid} (kill -HUP ${process.pid} reloads the services from the configuration${info.logFile ? ' and reopens the log file' : ''})`,
  ];
  if (info.logFile) lines.push(`  log: ${info.logFile}`);
  if (info.demoPassword) {
    lines.push(
      `  demo user created: ${DEMO_USERNAME} / ${info.demoPassword}   (shown once; change it with "npm run usher -- user passwd ${DEMO_USERNAME}")`,
    );
  }
  if (info.demo) {
    const service = demoService(info.publicUrl).pattern;
    lines.push(
      `  demo service: ${service}`,
      '',
      `  Try it: open ${info.publicUrl}/login?service=${encodeURIComponent(service)}`,
      '  sign in, and the demo page shows your ticket and the curl command that validates it:',
      `  curl '${info.publicUrl}/p3/serviceValidate?service=${encodeURIComponent(service)}&ticket=ST-...'`,
    );
  }
  console.log(`\n${lines.join('\n')}\n`);
}
