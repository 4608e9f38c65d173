/** Customers with open invoices (earliest due first), search by id, name or tax id. */
import { useState } from 'preact/hooks';
import { enc, get } from '../api.js';
import { fmtDate, fmtMoney, fmtNumber, t } from '../i18n.js';
import { Link, Page, Table, useLoad } from '../ui.js';

interface Brief {
  customerId: string;
  legalName?: string;
  taxId?: string;
  receivable?: Record<string, string>;
  minOpenDueDate?: string;
  openInvoiceCount?: number;
}

export function CustomersPage() {
  const [q, setQ] = useState(new URLSearchParams(location.search).get('q') ?? '');
  const [search, setSearch] = useState(q);
  const [pages, setPages] = useState<string[]>([]);
  const loaded = useLoad(async () => {
    const first = await get<{ customers: Brief[]; nextToken?: string }>(`customers?limit=50${search ? `&q=${enc(search)}` : ''}`);
    const rest: Brief[] = [];
    let next = first.nextToken;
    for (const token of pages) {
      if (!next) break;
      const p = await get<{ customers: Brief[]; nextToken?: string }>(`customers?limit=50&pageToken=${enc(token)}${search ? `&q=${enc(search)}` : ''}`);
      rest.push(...p.customers);
      next = p.nextToken;
    }
    return { customers: [...first.customers, ...rest], nextToken: next };
  }, [search, pages.length]);
  return (
    <Page title={t('customers')} loaded={loaded} testid="customers-page">
      {(d) => (
        <>
          <form
            class="search"
            role="search"
            onSubmit={(e) => {
              e.preventDefault();
              setPages([]);
              setSearch(q.trim());
            }}
          >
            <label for="customer-search">{t('search')}</label>
            <input id="customer-search" type="search" value={q} placeholder={t('searchHint')} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
            <button type="submit" class="primary">
              {t('search')}
            </button>
          </form>
          {d.customers.length ? (
            <Table
              testid="customers-table"
              head={[t('customer'), 'ID', t('inn'), t('receivable'), t('due'), t('invoices')]}
              num={[3, 5]}
              rows={d.customers.map((c) => [
                <Link href={`/customers/${enc(c.customerId)}`}>{c.legalName ?? c.customerId}</Link>,
                c.customerId,
                c.taxId ?? '—',
                Object.entries(c.receivable ?? {})
                  .map(([cur, a]) => fmtMoney(a, cur))
                  .join(', ') || '—',
                fmtDate(c.minOpenDueDate),
                fmtNumber(c.openInvoiceCount),
              ])}
            />
          ) : (
            <p class="muted">{t('noCustomers')}</p>
          )}
          {d.nextToken ? (
            <button type="button" onClick={() => setPages((p) => [...p, d.nextToken!])}>
              {t('more')}
            </button>
          ) : null}
        </>
      )}
    </Page>
  );
}
