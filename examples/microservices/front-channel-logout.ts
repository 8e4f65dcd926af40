import { inflateSync } from 'node:zlib';
import type { CasFlow } from '@usher/client';
import type { FastifyPluginAsync } from 'fastify';

// A real logoutRequest is well under 1 KiB: refuse to inflate more than this.
const MAX_LOGOUT_REQUEST_BYTES = 16 * 1024;

/**
 * Front-channel single logout (`logoutMode: front-channel`): Usher's logout page makes the browser GET
 * `path` with the logoutRequest deflated and base64-encoded in `SAMLRequest`, as Apereo CAS does. The
 * SDK's adapters only take the back-channel POST, so this reads the GET and ends the session the same
 * way, through `flow` and the session store.
 */
export function frontChannelLogout<U>(flow: CasFlow<U>, path: string): FastifyPluginAsync {
  return async (app) => {
    app.get(path, async (request, reply) => {
      const { SAMLRequest } = request.query as { SAMLRequest?: unknown };
      const logoutRequest = typeof SAMLRequest === 'string' ? inflate(SAMLRequest) : undefined;
      const { reply: answer, destroy } = await flow.singleLogout({ logoutRequest });
      if (destroy !== undefined) {
        await new Promise<void>((resolve, reject) =>
          request.sessionStore.destroy(destroy, (error) => (error ? reject(error) : resolve())),
        );
      }
      return reply.code(answer.status).headers(answer.headers).send(answer.body);
    });
  };
}

function inflate(base64: string): string | undefined {
  try {
    return inflateSync(Buffer.from(base64, 'base64'), {
      maxOutputLength: MAX_LOGOUT_REQUEST_BYTES,
    }).toString();
  } catch {
    return undefined;
  }
}
