import type { StorageLogger } from '../../src/storage/storage-logger.ts';

/** A logger that keeps messages, to check what a backend reported. */
export function recordingLogger(): StorageLogger & { messages: string[] } {
  const messages: string[] = [];
  return {
    messages,
    info: (_obj, msg) => messages.push(`info: ${msg}`),
    warn: (_obj, msg) => messages.push(`warn: ${msg}`),
  };
}

/** Collects unhandled rejections while `body` runs: a backend must never leak one. */
export async function noUnhandledRejections(body: () => Promise<void>): Promise<unknown[]> {
  const leaked: unknown[] = [];
  const record = (reason: unknown) => leaked.push(reason);
  process.on('unhandledRejection', record);
  try {
    await body();
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.off('unhandledRejection', record);
  }
  return leaked;
}
