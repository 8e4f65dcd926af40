import { defineOwn } from './safe-xml.ts';
import type { Attributes } from './service-response.ts';

/**
 * Appends a value under `name`. Names come from peers, so keys are set as own properties:
 * an attribute called `__proto__` stays an attribute.
 */
export function addAttributeValue(attributes: Attributes, name: string, value: string): void {
  const existing = Object.hasOwn(attributes, name) ? attributes[name] : undefined;
  if (existing === undefined) defineOwn(attributes, name, [value]);
  else existing.push(value);
}
