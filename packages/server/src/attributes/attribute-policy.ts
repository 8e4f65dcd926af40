import type { Attributes } from '../auth/authenticator.ts';
import type { ServiceConfig } from '../config/schema.ts';

type Policy = ServiceConfig['attributes'];

// Rewrite patterns come from the configuration, so this holds a bounded set; compiled once each
// instead of on every validation.
const compiledRewrites = new Map<string, RegExp>();

function rewritePattern(pattern: string): RegExp {
  let regex = compiledRewrites.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern, 'g');
    compiledRewrites.set(pattern, regex);
  }
  return regex;
}

/** Allow-list, then value rewriting, then renaming (django-cas-server's per-service attribute rules). */
export function releasedAttributes(attributes: Attributes, policy: Policy): Attributes {
  const all = policy.allow.includes('*');
  const released: Attributes = {};
  for (const [name, values] of Object.entries(attributes)) {
    if (!all && !policy.allow.includes(name)) continue;
    const rule = policy.rewrite[name];
    const rewritten = rule
      ? values.map((v) => v.replace(rewritePattern(rule.pattern), rule.replace))
      : values;
    const target = policy.rename[name] ?? name;
    released[target] = [...(released[target] ?? []), ...rewritten];
  }
  return released;
}

/** Names of required attributes the user lacks a listed value for; empty when access is allowed. */
export function missingRequirements(attributes: Attributes, policy: Policy): string[] {
  return Object.entries(policy.require)
    .filter(([name, accepted]) => !(attributes[name] ?? []).some((value) => accepted.includes(value)))
    .map(([name]) => name);
}

/** The CAS user released to the service: the username, or the first value of the chosen attribute. */
export function casUserFor(username: string, attributes: Attributes, policy: Policy): string {
  if (!policy.userAttribute) return username;
  return attributes[policy.userAttribute]?.[0] ?? username;
}
