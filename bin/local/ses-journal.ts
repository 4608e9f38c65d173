/**
 * The local SES send journal (written by ses-server.cjs) and the SendEvidence it gives: locally the
 * journal is the record of which letters "SES" accepted, written before the server answers, so it is
 * final at once (no grace period, unlike SES send events in the cloud).
 */
import { readFile } from 'node:fs/promises';
import type { LetterRecord, SendEvidence } from '../../functions/ports/dunning.js';
import { letterIdOf } from '../../functions/app/letter-id.js';
import { noEmailIn } from '../../functions/adapters/ses-send-evidence.js';

/** letter id → message id. */
export type SendJournal = Map<string, string>;

export async function readSendJournal(file: string): Promise<SendJournal> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  const out: SendJournal = new Map();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as { messageId?: string; letterId?: string | null };
      if (e.letterId && e.messageId) out.set(e.letterId, e.messageId);
    } catch {
      /* a line cut by a crash: that send never got its answer either */
    }
  }
  return out;
}

export function journalEvidence(file: string): SendEvidence {
  return {
    async verdict(letter: LetterRecord) {
      if (noEmailIn(letter)) return { verdict: 'not-sent', how: 'the letter has no email: nothing left the system' };
      const messageId = (await readSendJournal(file)).get(letterIdOf(letter));
      return messageId
        ? { verdict: 'sent', messageId, how: `the local SES journal records it (${messageId})` }
        : { verdict: 'not-sent', how: 'the local SES journal has no such email' };
    },
  };
}
