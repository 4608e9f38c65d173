/**
 * Policy loading and overrides: preset → segment override → customer override (deep merge, validated).
 * A customer's individual terms are reported as deviations from the policy the customer would get
 * without them. Pure.
 */
import type { z } from 'zod';
import { ValidationError, type FieldIssue } from '../errors.js';
import { PolicyConfigSchema, PolicyOverrideSchema, PolicySchema, type Policy, type PolicyConfig, type PolicyOverride, type PolicyRef } from './schema.js';

function issuesOf(err: z.ZodError, prefix: string): FieldIssue[] {
  return err.issues.map((i) => ({ field: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
}

/** Validates a policy document; throws ValidationError with field-level issues. */
export function parsePolicy(input: unknown, field = 'policy'): Policy {
  const r = PolicySchema.safeParse(input);
  if (!r.success) throw new ValidationError(issuesOf(r.error, field), { cause: r.error });
  return r.data;
}

/** Validates a company policy configuration (preset + segment and customer overrides). */
export function parsePolicyConfig(input: unknown): PolicyConfig {
  const r = PolicyConfigSchema.safeParse(input);
  if (!r.success) throw new ValidationError(issuesOf(r.error, 'policyConfig'), { cause: r.error });
  return r.data;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge: objects merge key by key, arrays and scalars replace, `null` deletes, `undefined` is ignored. */
export function deepMerge<T>(base: T, override: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(override)) return (override === undefined ? base : override) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (v === undefined) continue;
    if (v === null) delete out[k];
    else out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k], v) : v;
  }
  return out as T;
}

/** Applies one override to a policy and validates the result (errors name the override). */
export function applyOverride(policy: Policy, override: PolicyOverride, label: string): Policy {
  const o = PolicyOverrideSchema.safeParse(override);
  if (!o.success) throw new ValidationError(issuesOf(o.error, label), { cause: o.error });
  const merged = deepMerge(policy, o.data);
  const r = PolicySchema.safeParse(merged);
  if (!r.success) throw new ValidationError(issuesOf(r.error, label), { cause: r.error });
  return r.data;
}

export interface Deviation {
  /** Dotted path, e.g. "stages.claim.window.from". */
  field: string;
  /** The value the policy (preset + segment) gives; undefined when absent. */
  policyValue: unknown;
  /** The customer's individual value; undefined when the customer's terms remove it. */
  customerValue: unknown;
}

function flatten(v: unknown, prefix: string, out: Map<string, unknown>): void {
  if (isPlainObject(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (v !== undefined) {
    out.set(prefix, v);
  }
}

/** Leaf-by-leaf differences between two policies (name and version excluded). */
export function diffPolicies(policy: Policy, customer: Policy): Deviation[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  const { name: _n1, version: _v1, ...pa } = policy;
  const { name: _n2, version: _v2, ...pb } = customer;
  flatten(pa, '', a);
  flatten(pb, '', b);
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort();
  const out: Deviation[] = [];
  for (const field of fields) {
    const x = a.get(field);
    const y = b.get(field);
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push({ field, policyValue: x, customerValue: y });
  }
  return out;
}

export interface EffectivePolicy {
  policy: Policy;
  /** What a run records for this customer. */
  ref: PolicyRef;
  /** The customer's individual terms, as deviations from preset + segment. Empty when none. */
  deviations: Deviation[];
}

/**
 * The policy in force for one customer: the preset, then the customer's segment override, then the
 * customer's individual override. Throws ValidationError when an override makes the policy invalid.
 */
export function resolvePolicy(config: PolicyConfig, who: { customerId: string; segment?: string }): EffectivePolicy {
  const overrides: string[] = [];
  let policy = config.base;
  const seg = who.segment !== undefined ? config.segments[who.segment] : undefined;
  if (seg) {
    policy = applyOverride(policy, seg, `segments.${who.segment}`);
    overrides.push(`segment:${who.segment}`);
  }
  const cust = config.customers[who.customerId];
  let deviations: Deviation[] = [];
  if (cust) {
    const individual = applyOverride(policy, cust, `customers.${who.customerId}`);
    deviations = diffPolicies(policy, individual);
    policy = individual;
    overrides.push(`customer:${who.customerId}`);
  }
  return { policy, ref: { name: policy.name, version: policy.version, overrides }, deviations };
}

/** "wholesale@1+segment:key-accounts+customer:C-17": a compact, stable label for logs and outbox keys. */
export const policyLabel = (ref: PolicyRef): string => [`${ref.name}@${ref.version}`, ...ref.overrides].join('+');
