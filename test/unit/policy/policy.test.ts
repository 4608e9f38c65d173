import { describe, expect, it } from 'vitest';
import { HOUSING, WHOLESALE, channelsFor, parsePolicy, parsePolicyConfig, policyLabel, resolvePolicy, usableContact } from '../../../functions/domain/policy/index.js';
import { ValidationError } from '../../../functions/domain/errors.js';

type ValidationErrorLike = ValidationError;

describe('policy validation', () => {
  it('presets are valid, named and versioned', () => {
    // Prepare / Act
    const w = parsePolicy(WHOLESALE);
    const h = parsePolicy(HOUSING);
    // Assess
    expect([w.name, w.version, h.name, h.version]).toEqual(['wholesale', 1, 'housing', 1]);
    expect(w.stages.claim!.window).toEqual({ from: 11 });
    expect(w.stages.litigation!.window).toEqual({ from: 16 });
  });

  it('rejects stages out of order and inverted windows with field paths', () => {
    // Prepare
    const bad = { ...WHOLESALE, stages: { ...WHOLESALE.stages, warning: { ...WHOLESALE.stages.warning!, window: { from: 12, to: 10 } } } };
    // Act
    const err = (() => {
      try {
        parsePolicy(bad);
      } catch (e) {
        return e;
      }
    })() as ValidationErrorLike;
    // Assess
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.fields.map((f) => f.field)).toEqual(expect.arrayContaining(['policy.stages.warning.window.to', 'policy.stages.claim.window.from']));
  });
});

describe('overrides and deviations', () => {
  const config = parsePolicyConfig({
    base: WHOLESALE,
    segments: { 'key-accounts': { minGapDays: 7, stages: { warning: { window: { from: 7 } } } } },
    customers: {
      'C-17': { stages: { claim: { window: { from: 21 } }, litigation: { window: { from: 30 } } } },
      'C-99': { stages: { warning: { window: { from: 20 } } } },
    },
  });

  it('segment override deep-merges over the preset and is not a deviation', () => {
    // Prepare / Act
    const eff = resolvePolicy(config, { customerId: 'C-1', segment: 'key-accounts' });
    // Assess
    expect(eff.policy.minGapDays).toBe(7);
    expect(eff.policy.stages.warning!.window).toEqual({ from: 7, to: 10 });
    expect(eff.policy.stages.warning!.channel).toEqual(WHOLESALE.stages.warning!.channel);
    expect(eff.deviations).toEqual([]);
    expect(policyLabel(eff.ref)).toBe('wholesale@1+segment:key-accounts');
  });

  it("customer's individual terms are flagged as deviations from preset + segment", () => {
    // Prepare / Act
    const eff = resolvePolicy(config, { customerId: 'C-17', segment: 'key-accounts' });
    // Assess
    expect(eff.policy.stages.claim!.window).toEqual({ from: 21 });
    expect(eff.deviations).toEqual([
      { field: 'stages.claim.window.from', policyValue: 11, customerValue: 21 },
      { field: 'stages.litigation.window.from', policyValue: 16, customerValue: 30 },
    ]);
    expect(eff.ref).toEqual({ name: 'wholesale', version: 1, overrides: ['segment:key-accounts', 'customer:C-17'] });
  });

  it('an override that breaks the policy is refused, naming the override', () => {
    // Prepare / Act
    const err = (() => {
      try {
        resolvePolicy(config, { customerId: 'C-99' });
      } catch (e) {
        return e;
      }
    })() as ValidationErrorLike;
    // Assess
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.fields[0]!.field).toMatch(/^customers\.C-99\.stages\./);
  });

  it('null removes a field: a window can be made open-ended', () => {
    // Prepare
    const cfg = parsePolicyConfig({ base: HOUSING, customers: { F: { stages: { claim: { window: { to: null } }, litigation: { enabled: false } } } } });
    // Act
    const eff = resolvePolicy(cfg, { customerId: 'F' });
    // Assess
    expect(eff.policy.stages.claim!.window).toEqual({ from: 30 });
    expect(eff.deviations).toEqual([
      { field: 'stages.claim.window.to', policyValue: 89, customerValue: undefined },
      { field: 'stages.litigation.enabled', policyValue: true, customerValue: false },
    ]);
  });

  it('rejects unknown override fields', () => {
    // Prepare / Act / Assess
    expect(() => parsePolicyConfig({ base: WHOLESALE, customers: { X: { stages: { claim: { windoww: {} } } } } })).toThrow(ValidationError);
  });
});

describe('channelsFor', () => {
  const full = { emails: ['a@b.example'], hasPostalAddress: true };
  const noEmail = { emails: [], hasPostalAddress: true };
  const noPost = { emails: ['a@b.example'], hasPostalAddress: false };
  it.each([
    ['reminder', full, ['email']],
    ['reminder', noEmail, ['print']],
    ['warning', full, ['print', 'email']],
    ['warning', noEmail, ['print']],
    ['claim', noPost, ['email']],
    ['claim', { emails: [], hasPostalAddress: false }, []],
    ['litigation', noEmail, ['legal-notice', 'legal-task']],
  ] as const)('%s with %j → %j', (stage, contact, expected) => {
    // Prepare / Act
    const plan = channelsFor(stage, contact, WHOLESALE);
    // Assess
    expect(plan.channels).toEqual(expected);
  });

  it('usableContact drops malformed, duplicate and bounced addresses and needs city + line1 for post', () => {
    // Prepare
    const profile = {
      emails: ['ok@x.example', 'OK@x.example', 'bad', 'bounced@x.example'],
      undeliverableEmails: ['Bounced@x.example'],
      postalAddress: { city: 'Москва', line1: ' ' },
    };
    // Act
    const c = usableContact(profile);
    // Assess
    expect(c).toEqual({ emails: ['ok@x.example'], hasPostalAddress: false });
  });
});
