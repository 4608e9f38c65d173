/**
 * Policy presets.
 *
 * `wholesale` is the stage table of docs/rules.md §2 (the client's dunning regulation):
 *   reminder   due in 3–7 days            → window {from: −7, to: −3}, email only (print if no usable email)
 *   warning    5–10 days overdue          → {from: 5, to: 10}, printed + email copy, pay within 5 calendar days
 *   claim      more than 10 days overdue  → {from: 11} (open-ended), printed + email copy, pay within 5 days
 *   litigation more than 15 days overdue  → {from: 16} (open-ended), legal-team notice + task
 * Claim and litigation overlap from day 16 on: the highest stage wins, so 11–15 is claim and 16+ is
 * litigation. Days −2…4 call for no stage (the table leaves them out on purpose: a short grace period).
 * Runs are on Tuesday and Friday (gaps of 3 and 4 days), so every window of 5+ days is hit at least once.
 * minGapDays 3: one letter per customer per run at most (Tue→Fri is 3 days).
 *
 * `housing` is for residents' personal accounts (monthly charges, due by the 10th of the next month,
 * ЖК РФ ст. 155 ч. 1). Reasoning:
 *   reminder   due in 1–5 days (−5…−1): email only; no print fallback (the monthly bill already carries
 *              the due date, and printing reminders for thousands of flats costs more than it recovers).
 *   warning    10–29 days overdue: email, printed if there is no usable email; pay within 10 days.
 *   claim      30–89 days overdue (досудебное уведомление): printed + email copy. Day 31 is when ЖК РФ
 *              ст. 155 ч. 14 penalties start to accrue, so the notice lands before they do; pay within 30 days.
 *   litigation 90+ days overdue: legal-team notice + task (судебный приказ). Day 91 is when the penalty rate
 *              rises to 1/130, and three months of arrears is the usual threshold for court; a minimum total
 *              of 5 000,00 ₽ keeps court costs in proportion to the debt.
 *   minGapDays 14: residents are written to at most every two weeks.
 */
import { PolicySchema, type Policy } from './schema.js';

export const WHOLESALE: Policy = PolicySchema.parse({
  name: 'wholesale',
  version: 1,
  description: 'Wholesale B2B (docs/rules.md §2): reminder, warning, claim, litigation',
  minGapDays: 3,
  stages: {
    reminder: {
      window: { from: -7, to: -3 },
      channel: { primary: 'email', printIfNoEmail: true },
      templates: { ru: 'wholesale/reminder', en: 'wholesale/reminder' },
    },
    warning: {
      window: { from: 5, to: 10 },
      channel: { primary: 'print', emailCopy: true },
      templates: { ru: 'wholesale/warning', en: 'wholesale/warning' },
      payWithinDays: 5,
    },
    claim: {
      window: { from: 11 },
      channel: { primary: 'print', emailCopy: true },
      templates: { ru: 'wholesale/claim', en: 'wholesale/claim' },
      payWithinDays: 5,
    },
    litigation: {
      window: { from: 16 },
      channel: { primary: 'legal' },
      templates: { ru: 'wholesale/litigation', en: 'wholesale/litigation' },
    },
  },
});

export const HOUSING: Policy = PolicySchema.parse({
  name: 'housing',
  version: 1,
  description: "Residents' personal accounts: monthly charges, ЖК РФ ст. 155",
  minGapDays: 14,
  stages: {
    reminder: {
      window: { from: -5, to: -1 },
      channel: { primary: 'email', printIfNoEmail: false },
      templates: { ru: 'housing/reminder', en: 'housing/reminder' },
    },
    warning: {
      window: { from: 10, to: 29 },
      channel: { primary: 'email', printIfNoEmail: true },
      templates: { ru: 'housing/warning', en: 'housing/warning' },
      payWithinDays: 10,
    },
    claim: {
      window: { from: 30, to: 89 },
      channel: { primary: 'print', emailCopy: true },
      templates: { ru: 'housing/claim', en: 'housing/claim' },
      payWithinDays: 30,
    },
    litigation: {
      window: { from: 90 },
      channel: { primary: 'legal' },
      templates: { ru: 'housing/litigation', en: 'housing/litigation' },
      minTotal: { amount: '5000.00', currency: 'RUB' },
    },
  },
});

export const PRESETS = { wholesale: WHOLESALE, housing: HOUSING } as const;
export type PresetName = keyof typeof PRESETS;
