// The part of autocannon's API the benchmark uses (the package ships no type declarations).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export interface RequestData {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  }

  export interface RequestStep<C> {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    /** Called before the request is written; a falsy result restarts the sequence at step 0. */
    setupRequest?: (request: RequestData, context: C) => RequestData | null | undefined | false;
    onResponse?: (
      status: number,
      body: string,
      context: C,
      headers: Record<string, string | string[]>,
    ) => void;
  }

  export interface Options<C = Record<string, unknown>> {
    url: string;
    connections?: number;
    pipelining?: number;
    /** Seconds. */
    duration?: number;
    amount?: number;
    timeout?: number;
    headers?: Record<string, string>;
    requests?: RequestStep<C>[];
    initialContext?: C;
    /** Keep latency stats for non-2xx responses too (302 is a normal step of the SSO cycle). */
    excludeErrorStats?: boolean;
    renderProgressBar?: boolean;
    renderResultsTable?: boolean;
    renderLatencyTable?: boolean;
  }

  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p99: number;
  }

  export interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    resets: number;
    '2xx': number;
    '3xx': number;
    '4xx': number;
    '5xx': number;
    latency: Histogram;
    requests: Histogram & { sent: number };
    throughput: Histogram;
  }

  export interface Instance extends EventEmitter, PromiseLike<Result> {
    stop(): void;
  }

  function autocannon<C = Record<string, unknown>>(options: Options<C>): Instance;
  export default autocannon;
}
