/**
 * The typed operator API client: one method per route the CLI uses, each returning the wire shape of
 * bin/cli/api.ts. A non-2xx answer throws ServerError. New commands add their routes here or call
 * `get`/`post` with their own answer type.
 */
import type {
  AuditEntry,
  BankImportResult,
  CaseBrief,
  DryRunPage,
  PauseView,
  Replayed,
  ResolvedLetter,
  ReviewItem,
  ReviewResolved,
  RunView,
  ScheduleAgreed,
  StartedRun,
  Statement,
} from './api.js';
import type { CliIo, Global } from './io.js';
import { call, type HttpResult, ServerError } from './transport.js';

type Query = Record<string, string | undefined>;
const seg = encodeURIComponent;

export class OperatorClient {
  constructor(
    private readonly io: CliIo,
    private readonly g: Global,
  ) {}

  /** GET /operator/<path>: the JSON answer, typed by the caller. */
  async get<T>(path: string, query?: Query): Promise<T> {
    return ok<T>(await call(this.io, this.g, 'GET', path, query ? { query } : {}));
  }

  /** POST /operator/<path> with a JSON body: the JSON answer, typed by the caller. */
  async post<T>(path: string, body: unknown): Promise<T> {
    return ok<T>(await call(this.io, this.g, 'POST', path, { body }));
  }

  /** GET of a binary answer (e.g. a PDF) whose content type must contain `type`. */
  async bytes(path: string, query: Query, type: string): Promise<Uint8Array> {
    const r = await call(this.io, this.g, 'GET', path, { query });
    if (r.status !== 200 || !r.contentType.includes(type)) throw new ServerError(r);
    return r.bytes;
  }

  // Runs and letters
  startRun = (body: { runDate: string; rerun?: string; reason?: string }) => this.post<StartedRun>('runs', body);
  dryRunPage = (body: { runDate: string; dryRun: true; pageToken?: string }) => this.post<DryRunPage>('runs', body);
  run = (runDate: string) => this.get<RunView>(`runs/${seg(runDate)}`);
  resolveLetter = (runDate: string, customerId: string, stage: string, body: { outcome: string | undefined; reason: string | undefined }) =>
    this.post<ResolvedLetter>(`letters/${seg(runDate)}/${seg(customerId)}/${seg(stage)}/resolve`, body);

  // Pauses, promises, schedules
  pause = (customerId: string, body: { until: string | undefined; reason: string | undefined; invoiceId?: string; kind?: string }) =>
    this.post<{ pause: PauseView }>(`customers/${seg(customerId)}/pauses`, body);
  resume = (customerId: string, pauseId: string, body: { reason: string | undefined }) =>
    this.post<{ resumed: string[] }>(`customers/${seg(customerId)}/pauses/${seg(pauseId)}/resume`, body);
  pauses = (customerId: string) => this.get<{ pauses: PauseView[] }>(`customers/${seg(customerId)}/pauses`);
  promise = (customerId: string, body: { date: string | undefined; amount: { amount: string | undefined; currency: string }; reason: string | undefined; invoiceIds?: string[] }) =>
    this.post<{ pauses: PauseView[] }>(`customers/${seg(customerId)}/promises`, body);
  schedule = (customerId: string, body: { installments: { date: string; amount: string }[]; currency: string; reason: string | undefined; invoiceIds?: string[] }) =>
    this.post<ScheduleAgreed>(`customers/${seg(customerId)}/schedules`, body);

  // Ledger
  reconciliation = (customerId: string, query: Query) => this.get<Statement>(`customers/${seg(customerId)}/reconciliation`, query);
  reconciliationPdf = (customerId: string, query: Query) => this.bytes(`customers/${seg(customerId)}/reconciliation`, { ...query, format: 'pdf' }, 'pdf');
  closePeriod = (body: { through: string | undefined; reason: string | undefined }) => this.post<{ period: { closedThrough: string; by: string } }>('period-close', body);
  importBank = (body: { fileName: string; contentBase64: string; reason?: string }) => this.post<BankImportResult>('bank-imports', body);
  reviewList = () => this.get<{ items: ReviewItem[] }>('review');
  resolveReview = (importId: string, line: string, body: { outcome: 'book' | 'dismiss'; reason: string; customerId?: string; invoiceIds?: string[] }) =>
    this.post<ReviewResolved>(`review/${seg(importId)}/${seg(line)}/resolve`, body);
  replay = (body: { archiveRef: string; reason?: string }) => this.post<Replayed>('replay', body);

  // Audit
  audit = (query: { customer: string | undefined; day: string | undefined }) => this.get<{ entries: AuditEntry[] }>('audit', query);

  // Claim cases
  cases = (query: { status: string | undefined; customer: string | undefined }) => this.get<{ cases: CaseBrief[] }>('cases', query);
  case = (caseId: string) => this.get<unknown>(`cases/${seg(caseId)}`);
  decideCase = (caseId: string, decision: 'approve' | 'reject', body: { role: string; note?: string }) => this.post<unknown>(`cases/${seg(caseId)}/${decision}`, body);
  setStrategy = (caseId: string, body: { strategy: string; expectedRecoveryPct?: string; expectedRecoveryDate?: string; note?: string }) =>
    this.post<CaseBrief>(`cases/${seg(caseId)}/strategy`, body);
}

/** 2xx → the JSON answer; otherwise a ServerError naming each bad field. */
function ok<T>(r: HttpResult): T {
  if (r.status >= 200 && r.status < 300) return r.json as T;
  throw new ServerError(r);
}
