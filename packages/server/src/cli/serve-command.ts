import type { Command } from 'commander';
import { createDemoUserIfEmpty, DEMO_USERNAME } from '../bootstrap/first-run.ts';
import { createUsherServer } from '../server.ts';
import { demoService } from '../services/demo-service.ts';
import { chooseConfig } from './config-source.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the CAS server')
    .action(async () => {
      const { config, file, created } = chooseConfig(program.opts().config, { createIfMissing: true });
      const server = await createUsherServer({ config });
      const demoPassword = config.demo.enabled
        ? await createDemoUserIfEmpty(server.storage, Date.now())
        : undefined;
      await server.listen();
      printBanner({
        publicUrl: config.server.publicUrl,
        file,
        created,
        demoPassword,
        demo: config.demo.enabled,
      });
      const stop = async (signal: string) => {
        server.context.logger.info({ signal }, 'shutting down');
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

function printBanner(info: {
  publicUrl: string;
  file: string;
  created: boolean;
  demoPassword?: string;
  demo: boolean;
}) {
  const lines = [
    `Usher CAS server listening on ${info.publicUrl}`,
    `  configuration: ${info.file}${info.created ? ' (created now)' : ''}`,
  ];
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
