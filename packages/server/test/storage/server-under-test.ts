import assert from 'node:assert/strict';
import { it } from 'node:test';

/**
 * Whether the real server a backend test needs answers. When it does not, the tests are skipped with a
 * message, except in CI (CI=true) where a missing server is a failure.
 */
export async function serverUnderTest(
  name: string,
  url: string,
  probe: () => Promise<void>,
): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch (error) {
    const why = `${name} at ${redact(url)} unreachable (${(error as Error).message})`;
    if (process.env.CI === 'true') it(`reaches ${name}`, () => assert.fail(`${why}; CI requires it`));
    else it(`${name} tests`, { skip: `${why}; start it or set the URL variable` }, () => {});
    return false;
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Retries `attempt` until it resolves or `ms` pass. */
export async function eventually<T>(attempt: () => Promise<T>, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** The URL with its host and port replaced (to route through a proxy or at a closed port). */
export function withPort(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(port);
  return parsed.toString();
}
