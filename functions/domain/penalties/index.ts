/** Penalties and interest: public API. Pure. */
export { calculatePenalty, type PenaltyPeriod, type PenaltyResult, type SourceRef } from './engine.js';
export {
  parsePenaltyInput,
  penaltyInputSchema,
  type ParsedPenaltyInput,
  type PenaltyInput,
  type PenaltyRule,
  type RateMode,
  type RoundingMode,
} from './input.js';
export { defaultRules, extendRules, validateRuleData, type RuleData } from '../rules/index.js';
