import type { Command } from 'commander';
import { maskTicket } from '../logging/logger.ts';
import type { OutboxMessage } from '../storage/types.ts';
import { chooseConfig } from './config-source.ts';
import { withStorage } from './with-storage.ts';

const HEADER = ['STATUS', 'SERVICE', 'ATTEMPTS', 'NEXT ATTEMPT', 'TICKET', 'URL', 'LAST ERROR'];

function row(m: OutboxMessage): string[] {
  return [
    m.status,
    m.service,
    String(m.attempts),
    m.status === 'pending' ? new Date(m.nextAttemptAt).toISOString() : '-',
    maskTicket(m.sessionIndex),
    m.url,
    m.lastError ?? '-',
  ];
}

export function registerSloCommands(program: Command): void {
  program
    .command('slo')
    .description('single logout')
    .command('status')
    .description('list back-channel logout requests still pending and those that failed for good')
    .option('--failed', 'list only the failed ones')
    .action(async (opts: { failed?: boolean }) => {
      const { config } = chooseConfig(program.opts().config, { createIfMissing: false });
      const messages = await withStorage(config, async ({ outbox }) => [
        ...(opts.failed ? [] : await outbox.list('pending')),
        ...(await outbox.list('failed')),
      ]);
      if (messages.length === 0) {
        console.log(opts.failed ? 'no failed logout requests' : 'no pending or failed logout requests');
        return;
      }
      for (const cells of [HEADER, ...messages.map(row)]) console.log(cells.join('\t'));
    });
}
