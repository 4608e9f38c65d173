/** Claim cases (претензионно-исковая работа): public API. Pure. */
export * from './model.js';
export * from './errors.js';
export { assess, defaultCourt, estimateDuty, type Assessment, type AssessInput, type CustomerIdentity } from './assess.js';
export {
  applyAssessment,
  approve,
  assertApproved,
  basisWith,
  close,
  closeIfPaid,
  markPackaged,
  openCase,
  recordClaim,
  reachStage,
  recordWaitingToken,
  reject,
  requestApproval,
  setCourt,
  setStrategy,
  type Actor,
} from './transitions.js';
export {
  ARBITRATION_PRETRIAL_DAYS,
  DEFAULT_CLAIM_PERIOD_DAYS,
  claimPeriodSentence,
  ruDays,
  packageFacts,
  type LetterProof,
  type PackageFacts,
  type PackageWarning,
  type PackageWarningCode,
} from './package.js';

/**
 * The case id: readable by a clerk, safe in S3 keys and Step Functions execution names
 * ([A-Za-z0-9_-], ≤ 80 with the "-r<n>" suffix): `CASE-<yyyymmdd>-<customer id, other chars as _>`.
 */
export function caseIdFor(customerId: string, openedOn: string): string {
  const safe = customerId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 56);
  return `CASE-${openedOn.replace(/-/g, '')}-${safe}`;
}
