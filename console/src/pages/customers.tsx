/**
 * Customers with open invoices (earliest due first); the search (id, name or tax id of any customer)
 * is the server's: GET /operator/customers?q= searches every customer in the database, page by page.
 */
import { useState } from 'preact/hooks';
import type { CustomerList, CustomerListItem } from '../../../functions/ports/console.js';
import { enc, get } from '../api.js';
import { fmtDate, fmtMoney, fmtNumber, t } from '../i18n.js';
import { Link, Page, SearchForm, Table, useLoad } from '../ui.js';

export function CustomersPage() {
  const [q, setQ] = useState(new URLSearchParams(location.search).get('q') ?? '');
  const [search, setSearch] = useState(q);
  // Further pages appended to the first (each one request with the previous page's token).
  const [more, setMore] = useState<{ for: string; customers: CustomerListItem[]; nextToken?: string }>();
  const [loadingMore, setLoadingMore] = useState(false);
  const query = (token?: string) => `customers?limit=50${search ? `&q=${enc(search)}` : ''}${token ? `&pageToken=${enc(token)}` : ''}`;
  const loaded = useLoad(() => get<CustomerList>(query()), [search]);
  const extra = more && more.for === search ? more : undefined;
  return (
    <Page title={t('customers')} loaded={loaded} testid="customers-page">
      {(first) => {
        const d = { customers: [...first.customers, ...(extra?.customers ?? [])], nextToken: extra ? extra.nextToken : first.nextToken };
        return (
          <>
            <SearchForm
              id="customer-search"
              value={q}
              onInput={setQ}
              onSearch={(v) => {
                setMore(undefined);
                setSearch(v);
              }}
            />
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
              <button
                type="button"
                disabled={loadingMore}
                onClick={async () => {
                  setLoadingMore(true);
                  try {
                    const p = await get<CustomerList>(query(d.nextToken));
                    setMore({ for: search, customers: [...(extra?.customers ?? []), ...p.customers], ...(p.nextToken ? { nextToken: p.nextToken } : {}) });
                  } finally {
                    setLoadingMore(false);
                  }
                }}
              >
                {t('more')}
              </button>
            ) : null}
          </>
        );
      }}
    </Page>
  );
}
