/** Rule data: built-in tables (validated once), zod schemas, validation and user extension. Pure. */
import { BUILTIN_RULES } from './data.js';
import type { RuleData } from './schema.js';
import { validateRuleData } from './validate.js';

export * from './schema.js';
export { chooseReadings, extendRules, formatPath, validateRuleData, validateRuleExtension, zodIssues } from './validate.js';
export { RULES_VERSION } from './data.js';

let cached: RuleData | undefined;

/** The embedded rule data, validated (throws ValidationError if the built-in data were ever broken). */
export function defaultRules(): RuleData {
  cached ??= validateRuleData(BUILTIN_RULES, 'builtin');
  return structuredClone(cached);
}
