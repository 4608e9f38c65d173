/**
 * One run: totals, execution link, print-batch volumes, letters per stage and customer, failures,
 * ambiguous letters with the resolve action. The letters are filtered (stage, customer text) and paged
 * by the server (GET /operator/runs/{date}/view?stage&q&offset&limit): a 10,000-customer run sends a
 * page, not every letter.
 */
import { useState } from 'preact/hooks';
import type { ExecutionHistory, RunView, RunViewLetter } from '../../../functions/ports/console.js';
import { download, enc, get, post } from '../api.js';
import { StackedBars } from '../chart.js';
import { fmtDate, fmtInstant, fmtMoney, fmtNumber, t, tx } from '../i18n.js';
import { checks, Field, Link, Page, SearchForm, Submit, Table, useForm, useLoad } from '../ui.js';

const STAGES = ['reminder', 'warning', 'claim', 'litigation'] as const;

const PAGE = 200;

export function RunPage(props: { runDate: string }) {
  const [stage, setStage] = useState<string>('');
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [more, setMore] = useState<{ key: string; letters: RunViewLetter[] }>();
  const [loadingMore, setLoadingMore] = useState(false);
  const query = (offset: number) => `runs/${enc(props.runDate)}/view?limit=${PAGE}&offset=${offset}${stage ? `&stage=${enc(stage)}` : ''}${q ? `&q=${enc(q)}` : ''}`;
  const key = `${props.runDate}|${stage}|${q}`;
  const loaded = useLoad(() => get<RunView>(query(0)), [props.runDate, stage, q]);
  return (
    <Page title={`${t('run')} ${fmtDate(props.runDate)}`} loaded={loaded} testid="run-page">
      {(d) => {
        const counts = STAGES.map((s) => d.counts.sentByStage[s] ?? 0);
        const ambiguous = d.ambiguous;
        const shown = [...d.letters, ...(more && more.key === key ? more.letters : [])];
        return (
          <>
            <dl class="facts">
              <dt>{t('execution')}</dt>
              <dd>
                {d.execution ? (
                  d.execution.url ? (
                    <a href={d.execution.url} target="_blank" rel="noopener noreferrer" data-testid="execution-link">
                      {d.execution.name}
                    </a>
                  ) : (
                    <Link href={`/executions/${enc(d.execution.name)}`}>{d.execution.name}</Link>
                  )
                ) : (
                  '—'
                )}
              </dd>
              <dt>{t('customersProcessed')}</dt>
              <dd>{fmtNumber(d.run.customers as number | undefined)}</dd>
              <dt>{t('failures')}</dt>
              <dd>{fmtNumber(d.failures.length)}</dd>
              <dt>{t('ambiguous')}</dt>
              <dd>{fmtNumber(ambiguous.length)}</dd>
              <dt>{t('finishedAt')}</dt>
              <dd>{fmtInstant(d.run.finishedAt as string | undefined)}</dd>
              <dt>{t('printBatch')}</dt>
              <dd>
                {d.printVolumes.length
                  ? d.printVolumes.map((v) => (
                      <button type="button" class="link" onClick={() => download(`documents?key=${enc(v.key)}`, `print-batch-${d.runDate}.pdf`)}>
                        {t('volume')} {v.volume} ({t('pdf')})
                      </button>
                    ))
                  : '—'}
              </dd>
            </dl>
            <StackedBars title={t('lettersPerStage')} categories={STAGES.map((s) => tx('stage', s))} series={[{ name: t('letters'), data: counts }]} testid="run-chart" />
            {ambiguous.length ? (
              <section>
                <h2>{t('ambiguous')}</h2>
                <p class="muted">{t('resolveHint')}</p>
                {ambiguous.map((l) => (
                  <ResolveLetter runDate={d.runDate} letter={l} onDone={loaded.reload} />
                ))}
              </section>
            ) : null}
            <h2>{t('letters')}</h2>
            <div class="filters" role="group" aria-label={t('stage')}>
              {['', ...STAGES].map((s) => (
                <button type="button" class={stage === s ? 'chip on' : 'chip'} aria-pressed={stage === s} onClick={() => setStage(s)}>
                  {s ? `${tx('stage', s)} (${fmtNumber(d.counts.byStage[s] ?? 0)})` : `${t('all')} (${fmtNumber(d.counts.all)})`}
                </button>
              ))}
            </div>
            <SearchForm id="run-letter-search" value={text} onInput={setText} onSearch={setQ} />
            <Table
              testid="run-letters"
              head={[t('customer'), t('stage'), t('status'), t('channels'), t('invoices'), t('amount'), t('pdf')]}
              num={[5]}
              rows={shown.map((l) => [
                <Link href={`/customers/${enc(l.customerId)}`}>{l.customerName ?? l.customerId}</Link>,
                tx('stage', l.stage),
                <span class={`status ${l.status}`}>{tx('status', l.status)}</span>,
                l.channels.join(' + '),
                String(l.invoiceIds.length),
                l.total.map((m) => fmtMoney(m.amount, m.currency)).join(', '),
                l.documentKey ? (
                  <button type="button" class="link" onClick={() => download(`documents?key=${enc(l.documentKey!)}`, `${l.customerId}-${l.stage}.pdf`)}>
                    {t('download')}
                  </button>
                ) : (
                  '—'
                ),
              ])}
            />
            {d.matching > shown.length ? (
              <button
                type="button"
                disabled={loadingMore}
                onClick={async () => {
                  setLoadingMore(true);
                  try {
                    const next = await get<RunView>(query(d.offset + shown.length));
                    setMore({ key, letters: [...(more && more.key === key ? more.letters : []), ...next.letters] });
                  } finally {
                    setLoadingMore(false);
                  }
                }}
              >
                {t('more')} ({fmtNumber(shown.length)} / {fmtNumber(d.matching)})
              </button>
            ) : null}
            {d.failures.length ? (
              <>
                <h2>{t('failures')}</h2>
                <Table
                  head={[t('customer'), t('why')]}
                  rows={d.failures.map((f) => [<Link href={`/customers/${enc(f.customerId)}`}>{f.customerName ?? f.customerId}</Link>, `${f.error}: ${f.cause}`])}
                />
              </>
            ) : null}
          </>
        );
      }}
    </Page>
  );
}

function ResolveLetter(props: { runDate: string; letter: RunViewLetter; onDone: () => void }) {
  const l = props.letter;
  const form = useForm({ outcome: 'sent', reason: '' });
  return (
    <form
      class="card inline"
      data-testid={`resolve-${l.customerId}-${l.stage}`}
      onSubmit={form.submit(
        async (v) => {
          await post(`letters/${enc(props.runDate)}/${enc(l.customerId)}/${enc(l.stage)}/resolve`, v);
          props.onDone();
        },
        (v) => checks([['reason', !!v.reason.trim(), 'fieldRequired']]),
      )}
    >
      <p>
        <strong>{l.customerName ?? l.customerId}</strong> — {tx('stage', l.stage)} {l.error ? `(${l.error})` : ''}
      </p>
      <Field
        label={t('outcome')}
        name="outcome"
        form={form}
        options={[
          ['sent', t('outcomeSent')],
          ['not-sent', t('outcomeNotSent')],
        ]}
      />
      <Field label={t('reason')} name="reason" form={form} required />
      <Submit form={form} label={t('resolve')} action="letter.resolve" />
    </form>
  );
}

export function ExecutionPage(props: { name: string }) {
  const loaded = useLoad(() => get<ExecutionHistory>(`executions/${enc(props.name)}`), [props.name]);
  return (
    <Page title={`${t('executionHistory')}: ${props.name}`} loaded={loaded} testid="execution-page">
      {(d) => (
        <>
          <dl class="facts">
            <dt>{t('status')}</dt>
            <dd>{d.status ?? '—'}</dd>
            <dt>{t('finishedAt')}</dt>
            <dd>{fmtInstant(d.finishedAt)}</dd>
          </dl>
          <Table
            head={['#', t('state'), t('kind'), t('event'), '×']}
            num={[0, 4]}
            rows={d.events.map((e, i) => [String(i + 1), e.name, e.type, e.error ? `${e.event}: ${e.error}` : e.event, String(e.count ?? 1)])}
          />
        </>
      )}
    </Page>
  );
}
