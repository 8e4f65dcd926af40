// What the benchmark parent and its child servers agree on: fixed test data and the IPC messages.

export const BACKENDS = ['memory', 'sqlite', 'redis', 'postgres'] as const;
export type BackendName = (typeof BACKENDS)[number];

export const BENCH_USER = 'bench';
export const BENCH_PASSWORD = 'bench password, not a secret';
/** Registered as a prefix pattern; never contacted (tickets are read from the Location header). */
export const BENCH_SERVICE_PREFIX = 'http://127.0.0.1:9/app/';
export const BENCH_SERVICE = `${BENCH_SERVICE_PREFIX}page`;

export type ParentRequest =
  | { type: 'issue'; id: number; tgc: string; service: string; count: number; file: string }
  | { type: 'stop' };

export type ChildReply =
  | { type: 'ready'; url: string; pid: number }
  | { type: 'failed'; error: string }
  | { type: 'issued'; id: number; count: number; ms: number }
  | { type: 'error'; id: number; error: string };
