/** Awaits a node-style `(error?) => void` callback API, as express-session and @fastify/session stores have. */
export function fromCallback(call: (done: (error?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => call((error) => (error ? reject(error) : resolve())));
}
