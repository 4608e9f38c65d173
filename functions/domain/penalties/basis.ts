/**
 * The legal basis of a penalty as data, and its wording per letter language (pure). A letter in English
 * cites the English names of the statutes and "clause N of contract No. …"; a Russian letter or court
 * document the Russian ones. The contract's number is the parties' own requisite and is printed as it is
 * (it may be Cyrillic); a contract's free-text clause reference (e.g. "п. 6.2 договора") is Russian text,
 * so an English letter takes only its numbering from it ("clause 6.2").
 */
export type PenaltyTerms =
  | { rule: 'contractual'; contractNumber?: string; clause?: string; ratePctPerDay: string; capPct?: string }
  | { rule: 'interest395' }
  | { rule: 'housing' };

export type BasisLocale = 'ru' | 'en';

/** The clause's numbering ("6.2" of "п. 6.2 договора"), if it has one. */
const clauseNumber = (clause: string | undefined): string | undefined => clause?.match(/\d+(?:\.\d+)*/)?.[0];

const ruPct = (s: string) => s.replace('.', ',');

/** e.g. ru "п. 6.2 договора № ДП-17/2025 (0,2 % в день, не более 10 %)", en "clause 6.2 of contract No. ДП-17/2025 (0.2 % per day, at most 10 %)". */
export function penaltyBasisText(terms: PenaltyTerms, locale: BasisLocale): string {
  if (terms.rule === 'housing') return locale === 'ru' ? 'ЖК РФ ст. 155 ч. 14' : 'Article 155(14) of the Housing Code of the Russian Federation';
  if (terms.rule === 'interest395') return locale === 'ru' ? 'ГК РФ ст. 395' : 'Article 395 of the Civil Code of the Russian Federation';
  const { contractNumber: no, clause, ratePctPerDay: rate, capPct: cap } = terms;
  if (locale === 'ru') {
    return `${clause ?? 'неустойка по договору'}${no ? ` № ${no}` : ''} (${ruPct(rate)} % в день${cap ? `, не более ${ruPct(cap)} %` : ''})`;
  }
  const n = clauseNumber(clause);
  const contract = no ? `contract No. ${no}` : 'the contract';
  return `${n ? `clause ${n} of ${contract}` : `the penalty clause of ${contract}`} (${rate} % per day${cap ? `, at most ${cap} %` : ''})`;
}

/** The distinct bases of a calculation's parts, joined for one sentence. */
export const penaltyBasesText = (terms: readonly PenaltyTerms[], locale: BasisLocale): string => [...new Set(terms.map((t) => penaltyBasisText(t, locale)))].join('; ');
