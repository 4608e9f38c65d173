/**
 * ApprovalSignal over Step Functions: the legal team's decision completes the waiting ClaimCase
 * execution (SendTaskSuccess with the stored task token). A rejection is a decision, not a failure,
 * so it also completes the task successfully, with `decision: "rejected"`; the Choice routes it.
 * The client comes from functions/adapters/aws-clients.ts.
 */
import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { ApprovalSignal, SignalOutcome } from '../ports/claims.js';

/** The token is no longer usable: the task timed out, the execution ended, or it was already answered. */
const GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export function createSfnApprovalSignal(sfn: SFNClient): ApprovalSignal {
  const send = async (token: string, output: Record<string, unknown>): Promise<SignalOutcome> => {
    try {
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
      return 'sent';
    } catch (err) {
      if (GONE.has((err as { name?: string }).name ?? '')) return 'gone';
      throw err;
    }
  };
  return {
    approve: (token, output) => send(token, { ...output, decision: 'approved' }),
    reject: (token, reason, output = {}) => send(token, { ...output, decision: 'rejected', reason }),
  };
}
