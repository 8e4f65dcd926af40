import type { RequireLoginOptions } from './cas-flow.ts';

/** An adapter's `requireLogin`: a handler as it is, or called with options, a handler with them. */
export type RequireLogin<H> = H & ((options: RequireLoginOptions) => H);

/** Frameworks call a handler with two or three arguments, so one argument (or none) is the options form. */
export function requireLogin<H extends (...args: never[]) => unknown>(
  handler: (options: RequireLoginOptions) => H,
): RequireLogin<H> {
  const plain = handler({});
  return ((...args: Parameters<H>) =>
    args.length < 2
      ? handler((args[0] as RequireLoginOptions | undefined) ?? {})
      : plain(...args)) as RequireLogin<H>;
}
