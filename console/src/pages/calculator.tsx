/** The lawyers' calculator: penalty / interest with its itemized periods, and the state duty (operator API /calc/*). */
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { fmtDate, fmtMoney, fmtPct, t } from '../i18n.js';
import { AMOUNT, checks, DATE, Field, Page, Submit, Table, today, useForm, useLoad } from '../ui.js';

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => l.split(/[\s;]+/));

export function CalculatorPage() {
  const loaded = useLoad(async () => true, []);
  return (
    <Page title={t('calculator')} loaded={loaded} testid="calculator-page">
      {() => (
        <div class="cols">
          <PenaltyForm />
          <DutyForm />
        </div>
      )}
    </Page>
  );
}

interface PenaltyResult {
  total: string;
  periods: { from: string; to: string; days: number; base: string; rate: string; fraction: string; amount: string }[];
  notes: string[];
  rounding: string;
}

function PenaltyForm() {
  const form = useForm({ rule: 'interest395', charges: '100000.00 2025-03-10', payments: '', calculateTo: today(), ratePctPerDay: '0.1', capPct: '' });
  const [r, setR] = useState<PenaltyResult>();
  return (
    <div class="card wide" data-testid="penalty-calc">
      <form
        onSubmit={form.submit(
          async (v) => {
            const input = {
              rule: v.rule,
              charges: lines(v.charges).map(([amount, lastDayToPay]) => ({ amount, lastDayToPay })),
              payments: lines(v.payments).map(([date, amount]) => ({ date, amount })),
              calculateTo: v.calculateTo,
              ...(v.rule === 'contractual' ? { ratePctPerDay: v.ratePctPerDay, ...(v.capPct ? { capPct: v.capPct } : {}) } : {}),
            };
            setR(await post<PenaltyResult>('calc/penalty', input));
          },
          (v) =>
            checks([
              ['charges', lines(v.charges).length > 0 && lines(v.charges).every(([a, d]) => AMOUNT.test(a ?? '') && DATE.test(d ?? '')), 'fieldAmount'],
              ['payments', lines(v.payments).every(([d, a]) => DATE.test(d ?? '') && AMOUNT.test(a ?? '')), 'fieldAmount'],
              ['calculateTo', DATE.test(v.calculateTo), 'fieldDate'],
            ]),
        )}
      >
        <h2>{t('penaltyCalc')}</h2>
        <Field
          label={t('rule')}
          name="rule"
          form={form}
          options={[
            ['interest395', 'ГК РФ ст. 395'],
            ['contractual', 'contractual / договорная'],
            ['housing', 'ЖК РФ ст. 155'],
          ]}
        />
        <Field label={t('charges')} name="charges" form={form} multiline errorPrefix="charges" required />
        <Field label={t('payments')} name="payments" form={form} multiline errorPrefix="payments" />
        <Field label={t('calculateTo')} name="calculateTo" type="date" form={form} required />
        {form.values.rule === 'contractual' ? (
          <div class="row">
            <Field label={t('ratePctPerDay')} name="ratePctPerDay" form={form} />
            <Field label={t('capPct')} name="capPct" form={form} />
          </div>
        ) : null}
        <Submit form={form} label={t('calculate')} />
      </form>
      {r ? (
        <div data-testid="penalty-result">
          <p class="big">
            {t('total')}: {fmtMoney(r.total)}
          </p>
          <Table
            testid="penalty-periods"
            head={[t('from'), t('to'), t('days'), t('base'), t('rate'), t('fraction'), t('amount')]}
            num={[2, 3, 4, 6]}
            rows={r.periods.map((p) => [fmtDate(p.from), fmtDate(p.to), String(p.days), fmtMoney(p.base), fmtPct(p.rate), p.fraction, fmtMoney(p.amount)])}
          />
          {r.notes.length ? (
            <ul>
              {r.notes.map((n) => (
                <li>{n}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function DutyForm() {
  const form = useForm({ court: 'arbitration', price: '250000.00', filedOn: today(), courtOrder: 'no' });
  const [r, setR] = useState<{ duty: string; formula: string; table: string }>();
  return (
    <div class="card" data-testid="duty-calc">
      <form
        onSubmit={form.submit(
          async (v) => {
            setR(await post('calc/duty', { court: v.court, price: v.price, filedOn: v.filedOn, courtOrder: v.courtOrder === 'yes' }));
          },
          (v) =>
            checks([
              ['price', AMOUNT.test(v.price), 'fieldAmount'],
              ['filedOn', DATE.test(v.filedOn), 'fieldDate'],
            ]),
        )}
      >
        <h2>{t('dutyCalc')}</h2>
        <Field
          label={t('court')}
          name="court"
          form={form}
          options={[
            ['arbitration', 'arbitration / арбитражный'],
            ['general', 'general / общей юрисдикции'],
          ]}
        />
        <Field label={t('price')} name="price" form={form} required />
        <Field label={t('filedOn')} name="filedOn" type="date" form={form} required />
        <Field
          label={t('courtOrder')}
          name="courtOrder"
          form={form}
          options={[
            ['no', '—'],
            ['yes', '✓'],
          ]}
        />
        <Submit form={form} label={t('calculate')} />
      </form>
      {r ? (
        <div data-testid="duty-result">
          <p class="big">
            {t('duty')}: {fmtMoney(r.duty)}
          </p>
          <p>
            {t('formula')}: {r.formula}
          </p>
          <p class="muted">{r.table}</p>
        </div>
      ) : null}
    </div>
  );
}
