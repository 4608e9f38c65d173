/** Bank review list: payments from bank statements that could not be matched; book to a customer and invoices, or dismiss, with a reason. */
import { useState } from 'preact/hooks';
import { enc, get, post } from '../api.js';
import { fmtDate, fmtMoney, t } from '../i18n.js';
import { checks, Field, Page, Submit, useForm, useLoad, useMay } from '../ui.js';

interface Item {
  importId: string;
  line: number;
  reason: string;
  status: string;
  document: { number: string; date: string; amount: string; payerName?: string; payerInn?: string; purpose?: string };
}

export function ReviewPage() {
  const loaded = useLoad(() => get<{ items: Item[] }>('review'), []);
  return (
    <Page title={t('review')} loaded={loaded} testid="review-page">
      {(d) => (
        <>
          <p class="muted">{t('reviewHint')}</p>
          {d.items.length ? d.items.map((i) => <ReviewItem item={i} onDone={loaded.reload} />) : <p class="muted">{t('noItems')}</p>}
          <ImportBank onDone={loaded.reload} />
        </>
      )}
    </Page>
  );
}

function ReviewItem(props: { item: Item; onDone: () => void }) {
  const i = props.item;
  const form = useForm({ outcome: 'book', customerId: '', invoiceIds: '', reason: '' });
  return (
    <article class="card" data-testid={`review-${i.line}`} aria-label={`№ ${i.document.number}`}>
      <h2>
        № {i.document.number} — {fmtDate(i.document.date)} — {fmtMoney(i.document.amount)}
      </h2>
      <dl class="facts">
        <dt>{t('payer')}</dt>
        <dd>
          {i.document.payerName ?? '—'} {i.document.payerInn ? `(${t('inn')} ${i.document.payerInn})` : ''}
        </dd>
        <dt>{t('purpose')}</dt>
        <dd>{i.document.purpose ?? '—'}</dd>
        <dt>{t('why')}</dt>
        <dd>{i.reason}</dd>
      </dl>
      <form
        onSubmit={form.submit(
          async (v) => {
            const ids = v.invoiceIds.split(/[\s,;]+/).filter(Boolean);
            await post(`review/${enc(i.importId)}/${i.line}/resolve`, {
              outcome: v.outcome,
              reason: v.reason,
              ...(v.outcome === 'book' ? { customerId: v.customerId.trim(), ...(ids.length ? { invoiceIds: ids } : {}) } : {}),
            });
            props.onDone();
          },
          (v) =>
            checks([
              ['customerId', v.outcome !== 'book' || !!v.customerId.trim(), 'fieldRequired'],
              ['reason', !!v.reason.trim(), 'fieldRequired'],
            ]),
        )}
      >
        <div class="row">
          <Field
            label={t('outcome')}
            name="outcome"
            form={form}
            options={[
              ['book', t('book')],
              ['dismiss', t('dismiss')],
            ]}
          />
          {form.values.outcome === 'book' ? (
            <>
              <Field label={t('customerId')} name="customerId" form={form} required />
              <Field label={t('invoiceIds')} name="invoiceIds" form={form} errorKeys={['invoiceIds.0']} />
            </>
          ) : null}
          <Field label={t('reason')} name="reason" form={form} required />
        </div>
        <Submit form={form} label={form.values.outcome === 'book' ? t('book') : t('dismiss')} action="review.resolve" />
      </form>
    </article>
  );
}

function ImportBank(props: { onDone: () => void }) {
  const form = useForm({ reason: '' });
  const [file, setFile] = useState<File>();
  const { may } = useMay('bank.import');
  return (
    <form
      class="card"
      data-testid="import-bank"
      onSubmit={form.submit(async () => {
        if (!file) throw new Error(t('fieldRequired'));
        const bytes = new Uint8Array(await file.arrayBuffer());
        let bin = '';
        for (let k = 0; k < bytes.length; k += 0x8000) bin += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
        const r = await post<{ imported: number; review: unknown[]; duplicates: number }>('bank-imports', {
          fileName: file.name,
          contentBase64: btoa(bin),
          ...(form.values.reason ? { reason: form.values.reason } : {}),
        });
        props.onDone();
        return `${r.imported} / ${r.review.length} / ${r.duplicates}`;
      })}
    >
      <h2>{t('importBank')}</h2>
      <div class="field">
        <label for="bank-file">{t('file')}</label>
        <input id="bank-file" type="file" disabled={!may} onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0])} />
      </div>
      <Submit form={form} label={t('upload')} action="bank.import" />
    </form>
  );
}
