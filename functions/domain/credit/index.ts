/** Credit control (pure): terms and the policy matrix, exposure, holds, decisions, overrides, payment discipline. */
export * from './policy.js';
export * from './facts.js';
export * from './exposure.js';
export * from './holds.js';
export * from './overrides.js';
export * from './decide.js';
export * from './matrix.js';
export * from './discipline.js';
export * from './errors.js';
