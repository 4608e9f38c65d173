/**
 * The files of a litigation package (пакет документов для суда) for an approved claim case:
 *  - calculation.json and calculation-<n>.pdf: the itemized penalty calculation per contract, with
 *    principal, price of the claim, state duty and total;
 *  - reconciliation.json and reconciliation.pdf: the reconciliation statement (акт сверки);
 *  - invoices.json: the basis invoices with their limitation-period status;
 *  - letters.json and letters/<runDate>-<stage>.pdf: the letters sent (proof of the pre-trial claim);
 *  - case.json: the case record (strategy, approval, events, stage history).
 * The use case stores them and writes manifest.json (buildManifest). No I/O here beyond pdfmake's fonts.
 */
import type { ClaimCase, PackageFacts, PackageWarning } from '../domain/claims/index.js';
import type { CalendarDate } from '../domain/dates.js';
import type { ReconciliationStatement } from '../domain/ledger/reconcile.js';
import type { PenaltyForInvoices } from '../domain/penalties/for-invoices.js';
import { formatRub, renderCalculationPdf } from './claim-calculation-pdf.js';

/** "333.21 from 2024-09-09" → "НК РФ ст. 333.21 (в редакции, действующей с 09.09.2024)". */
export function dutyTableRu(label: string | undefined): string {
  const m = /^(\d+\.\d+) from (\d{4})-(\d{2})-(\d{2})$/.exec(label ?? '');
  if (!m) return label ? `НК РФ ст. ${label.replace(/[^\d.]+.*$/, '')}` : 'НК РФ гл. 25.3';
  return `НК РФ ст. ${m[1]} (в редакции, действующей с ${m[4]}.${m[3]}.${m[2]})`;
}
import { renderReconciliationPdf, type CompanyInfo } from './reconciliation-pdf.js';

export interface PackageFile {
  /** Path inside the package folder, e.g. "calculation-1.pdf". */
  name: string;
  contentType: string;
  body: Uint8Array | string;
  /** What the file is, for the manifest. */
  title: string;
}

export interface LetterCopy {
  stage: string;
  runDate: CalendarDate;
  body: Uint8Array;
}

export interface LitigationPackageInput {
  claimCase: ClaimCase;
  facts: PackageFacts;
  penalty?: PenaltyForInvoices;
  reconciliation: ReconciliationStatement;
  company: CompanyInfo;
  letterCopies: LetterCopy[];
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
export const letterCopyName = (l: { runDate: string; stage: string }) => `letters/${l.runDate}-${l.stage}.pdf`;

export async function renderLitigationPackage(input: LitigationPackageInput): Promise<PackageFile[]> {
  const { claimCase: c, facts } = input;
  const debtor = `${c.customerName ?? c.customerId}${c.taxId ? `, ИНН ${c.taxId}` : ''}`;
  const files: PackageFile[] = [];
  const parts = input.penalty?.parts ?? [];

  files.push({
    name: 'calculation.json',
    contentType: 'application/json',
    title: 'Claim calculation: principal, penalty by period, state duty, total',
    body: json({
      caseId: c.caseId,
      customerId: c.customerId,
      asOf: facts.asOf,
      currency: c.currency,
      principal: facts.principal.amount,
      penalty: {
        total: facts.penalty.amount,
        basis: input.penalty?.basis ?? '—',
        parts: parts.map((p, i) => ({ file: `calculation-${i + 1}.pdf`, contractId: p.contractId, basis: p.basis, result: p.result })),
      },
      claimPrice: facts.claimPrice.amount,
      court: facts.court,
      courtOrder: facts.courtOrder,
      duty: facts.duty ?? null,
      total: facts.total.amount,
      invoices: facts.invoices.map((i) => ({ invoiceId: i.invoiceId, number: i.number, dueDate: i.dueDate, outstanding: i.outstanding })),
    }),
  });
  for (const [i, p] of parts.entries()) {
    files.push({
      name: `calculation-${i + 1}.pdf`,
      contentType: 'application/pdf',
      title: `Penalty calculation ${i + 1}: ${p.basis}`,
      body: await renderCalculationPdf({
        title: `Расчет ${p.result.rule === 'contractual' ? 'неустойки' : p.result.rule === 'housing' ? 'пеней' : 'процентов'} по делу ${c.caseId}`,
        debtor,
        creditor: input.company.name,
        basis: p.basis,
        preparedOn: facts.asOf,
        result: p.result,
        extraSources: [
          `основной долг ${formatRub(facts.principal.amount)} ${c.currency === 'RUB' ? 'руб.' : c.currency}; цена иска ${formatRub(facts.claimPrice.amount)}; государственная пошлина${facts.courtOrder.eligible ? ' (заявление о выдаче судебного приказа)' : ''} ${formatRub(facts.duty?.duty ?? '0')} — ${dutyTableRu(facts.duty?.table)}`,
        ],
        ...(facts.pretrialClaim ? { pretrialClaim: facts.pretrialClaim.statement } : {}),
      }),
    });
  }
  files.push({ name: 'reconciliation.json', contentType: 'application/json', title: 'Reconciliation statement (акт сверки), JSON', body: json(input.reconciliation) });
  files.push({
    name: 'reconciliation.pdf',
    contentType: 'application/pdf',
    title: 'Reconciliation statement (акт сверки), PDF',
    body: await renderReconciliationPdf(input.reconciliation, input.company),
  });
  files.push({ name: 'invoices.json', contentType: 'application/json', title: 'Invoices of the claim with limitation status', body: json(facts.invoices) });
  const copies = new Set(input.letterCopies.map((l) => letterCopyName(l)));
  files.push({
    name: 'letters.json',
    contentType: 'application/json',
    title: 'Letters sent to the customer (proof of the pre-trial claim)',
    body: json({
      pretrialClaim: facts.pretrialClaim ?? null,
      letters: facts.letters.map((l) => ({ ...l, copy: copies.has(letterCopyName(l)) ? letterCopyName(l) : null })),
    }),
  });
  for (const l of input.letterCopies) {
    files.push({ name: letterCopyName(l), contentType: 'application/pdf', title: `Copy of the ${l.stage} letter of ${l.runDate}`, body: l.body });
  }
  files.push({ name: 'case.json', contentType: 'application/json', title: 'The claim case: strategy, approval, events, stage history', body: json(c) });
  return files;
}

export interface ManifestFile {
  name: string;
  key: string;
  uri: string;
  contentType: string;
  bytes: number;
  sha256: string;
  title: string;
}

export interface PackageManifest {
  caseId: string;
  customerId: string;
  customerName?: string;
  asOf: CalendarDate;
  builtAt: string;
  court: PackageFacts['court'];
  courtOrder: PackageFacts['courtOrder'];
  duty: { amount: string; table: string; formula: string; courtOrder: boolean } | null;
  currency: string;
  principal: string;
  penalty: string;
  claimPrice: string;
  total: string;
  daysOverdue: number;
  approval: ClaimCase['approval'];
  pretrialClaim: PackageFacts['pretrialClaim'] | null;
  /** A sent claim covered every owed invoice and its claim period has run on asOf. */
  readyToFile: boolean;
  warnings: PackageWarning[];
  files: ManifestFile[];
}

export function buildManifest(c: ClaimCase, facts: PackageFacts, files: ManifestFile[], builtAt: string): PackageManifest {
  return {
    caseId: c.caseId,
    customerId: c.customerId,
    ...(c.customerName ? { customerName: c.customerName } : {}),
    asOf: facts.asOf,
    builtAt,
    court: facts.court,
    courtOrder: facts.courtOrder,
    duty: facts.duty ? { amount: facts.duty.duty, table: facts.duty.table, formula: facts.duty.formula, courtOrder: facts.duty.courtOrder } : null,
    currency: c.currency,
    principal: facts.principal.amount,
    penalty: facts.penalty.amount,
    claimPrice: facts.claimPrice.amount,
    total: facts.total.amount,
    daysOverdue: facts.daysOverdue,
    approval: c.approval,
    pretrialClaim: facts.pretrialClaim ?? null,
    readyToFile: facts.readyToFile,
    warnings: facts.warnings,
    files,
  };
}
