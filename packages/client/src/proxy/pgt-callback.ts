import { isWellFormedTicket } from '@usher/protocol';
import type { CasStore } from '../stores/cas-store.ts';

export interface ProxyCallbackParams {
  pgtId?: string | null | undefined;
  pgtIou?: string | null | undefined;
}

export interface ProxyCallbackResult {
  /** The HTTP status to answer the CAS server with. */
  status: 200 | 400;
  stored: boolean;
}

// The server calls the callback just before it answers the validation, so an IOU is claimed within
// seconds; a short wait also bounds what anyone calling the (public) callback URL can make us keep.
const PENDING_TTL_MS = 2 * 60_000;

export const pendingKey = (pgtIou: string): string => `pgtiou:${pgtIou}`;
export const pgtKey = (pgtIou: string): string => `pgt:${pgtIou}`;

/**
 * `GET pgtUrl?pgtId=…&pgtIou=…` from the CAS server. Nothing here is trusted yet: the PGT only becomes
 * usable once a validation answer from the server names the same IOU (see `claimPgt`).
 */
export async function handleProxyCallback(
  store: CasStore,
  params: ProxyCallbackParams,
): Promise<ProxyCallbackResult> {
  const { pgtId, pgtIou } = params;
  // Some servers first call the URL bare, to check it answers.
  if (!pgtId && !pgtIou) return { status: 200, stored: false };
  if (!isWellFormedTicket(pgtId) || !isWellFormedTicket(pgtIou)) return { status: 400, stored: false };
  // `add`, not `set`: a second call naming a known IOU cannot swap its PGT.
  const stored = await store.add(pendingKey(pgtIou), pgtId, PENDING_TTL_MS);
  return { status: 200, stored };
}

/** Moves the PGT of a validated IOU to its long-lived key; undefined when the callback never came. */
export async function claimPgt(store: CasStore, pgtIou: string, ttlMs: number): Promise<string | undefined> {
  const pgt = await store.take(pendingKey(pgtIou));
  if (pgt !== undefined) await store.set(pgtKey(pgtIou), pgt, ttlMs);
  return pgt;
}
