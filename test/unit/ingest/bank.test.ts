import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { parseBankFile } from '../../../functions/ingest/bank-file.js';
import { bankPaymentId, extractInvoiceNumbers } from '../../../functions/ingest/bank-match.js';
import { importBankStatement, type BankImportDeps } from '../../../functions/ingest/bank-import.js';
import { ClosedPeriodError } from '../../../functions/domain/errors.js';
import { OUR_ACCOUNT, STATEMENT_LINES, statementBytes } from '../../fixtures/bank/make-fixture.js';
import { FakeDirectory, FakeLedger, MemoryReviewList, NOW } from './fakes.js';

const fixture = () => readFileSync(new URL('../../fixtures/bank/statement-1251.txt', import.meta.url));

function bankDeps(over: Partial<BankImportDeps> = {}) {
  const ledger = new FakeLedger();
  const review = new MemoryReviewList();
  const directory = new FakeDirectory(
    [
      { customerId: 'cust-romashka', inn: '7701234567', kpp: '770101001' },
      { customerId: 'cust-petrov', inn: '502712345678' },
    ],
    [
      { customerId: 'cust-romashka', invoiceId: 'inv-2026-0415', number: '415' },
      { customerId: 'cust-petrov', invoiceId: 'inv-p-416', number: '416' },
      { customerId: 'cust-petrov', invoiceId: 'inv-p-417', number: '417' },
    ],
  );
  const deps: BankImportDeps = { ledger, review, directory, config: { companyAccounts: [OUR_ACCOUNT] }, now: () => NOW, ...over };
  return { deps, ledger, review, directory };
}

describe('1C client-bank parser', () => {
  it('reads the committed Windows-1251 fixture: good documents parsed, broken sections reported by line', () => {
    // Prepare
    const bytes = fixture();
    // Act
    const parsed = parseBankFile(bytes);
    // Assess
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow(); // really cp1251 bytes
    expect(parsed.encoding).toBe('windows-1251');
    expect(parsed.accounts).toEqual([OUR_ACCOUNT]);
    expect(parsed.header['Отправитель']).toBe('Бухгалтерия предприятия, редакция 3.0');
    expect(parsed.documents.map((d) => [d.line, d.number])).toEqual([
      [21, '512'],
      [47, '88'],
      [60, '3301'],
      [80, '1044'],
      [102, '520'],
    ]);
    expect(parsed.documents[0]).toMatchObject({
      kind: 'Платежное поручение',
      date: '2026-11-17',
      receivedDate: '2026-11-18',
      amount: '125000.50',
      payerInn: '7701234567',
      payerKpp: '770101001',
      payerName: 'ООО "РОМАШКА"',
      payeeAccount: OUR_ACCOUNT,
      purpose: 'Оплата по счету № 415 от 10.11.2026 за товар. Сумма 125000-50 В т.ч. НДС (20%) 20833-42',
    });
    expect(parsed.documents[1]).toMatchObject({ amount: '43000.00', payerName: 'Индивидуальный предприниматель Петров Пётр Петрович' });
    expect(parsed.documents[1]!.payerKpp).toBeUndefined();
    expect(parsed.errors.map((e) => e.line)).toEqual([72, 91, 98]);
    expect(parsed.errors[0]!.message).toMatch(/№ 513.*Сумма "12 500,00" \(line 75\)/);
    expect(parsed.errors[1]!.message).toMatch(/Дата "31.02.2026" \(line 93\) is not a real date/);
    expect(parsed.errors[2]!.message).toMatch(/never ends/);
  });

  it('reads UTF-8 and DOS (cp866) files by what the header and bytes say', () => {
    // Prepare
    const utf8 = Buffer.from(STATEMENT_LINES.map((l) => (l === 'Кодировка=Windows' ? 'Кодировка=UTF-8' : l)).join('\n'), 'utf8');
    const dos = statementBytes(
      STATEMENT_LINES.map((l) => (l === 'Кодировка=Windows' ? 'Кодировка=DOS' : l)),
      'cp866',
    );
    // Act
    const a = parseBankFile(utf8);
    const b = parseBankFile(dos);
    // Assess
    expect(a.encoding).toBe('utf-8');
    expect(b.encoding).toBe('cp866');
    for (const p of [a, b]) {
      expect(p.documents).toHaveLength(5);
      expect(p.documents[0]!.payerName).toBe('ООО "РОМАШКА"');
    }
  });

  it('refuses a file that is not a 1C exchange file and flags a truncated one', () => {
    // Prepare
    const notBank = iconv.encode('Дата;Сумма\r\n01.11.2026;100\r\n', 'win1251');
    const truncated = statementBytes(STATEMENT_LINES.slice(0, 46));
    // Act
    const a = parseBankFile(notBank);
    const b = parseBankFile(truncated);
    // Assess
    expect(a.documents).toEqual([]);
    expect(a.errors).toEqual([{ line: 1, message: expect.stringMatching(/first line must be 1CClientBankExchange/) }]);
    expect(b.documents.map((d) => d.number)).toEqual(['512']);
    expect(b.errors).toEqual([{ line: 47, message: expect.stringMatching(/КонецФайла missing/) }]);
  });
});

describe('invoice numbers in the payment purpose', () => {
  it.each([
    ['Оплата по счету № 123 от 01.11.2026 за товар. В т.ч. НДС (20%) 20833-33', ['123']],
    ['Оплата по сч. 415 от 10.11.2026, сч. 416 от 12.11.2026 Сумма 125000-00 В т.ч. НДС', ['415', '416']],
    ['Оплата по счетам №12, 13 и 14 по договору № 7/2026', ['12', '13', '14']],
    ['Оплата счет-фактура 45 от 01.10.2026', ['45']],
    ['Оплата по с/ф № А-17 от 03.10.2026', ['А-17']],
    ['Оплата по счёту №0045 за октябрь', ['0045']],
    ['оплата по счету на оплату № СЧ-2026-0123 от 5.11.26', ['СЧ-2026-0123']],
    ['Оплата по счету от 01.11.2026 № 321', ['321']],
    ['Опл. сч.№ 77;78 за услуги', ['77', '78']],
    ['ОПЛАТА ПО СЧЕТУ 555 ОТ 02.11.2026', ['555']],
    ['Payment for invoice INV-2026-15', ['INV-2026-15']],
    ['Перечисление на р/сч 40702810900000012345 по договору поставки №5', []],
    ['Возврат займа по договору 15 от 01.02.2026', []],
    ['Оплата по договору поставки № 17/2026 от 15.01.2026. В т.ч. НДС 20% 7666-67', []],
  ])('%s → %j', (purpose, expected) => {
    // Prepare
    const text = purpose;
    // Act
    const numbers = extractInvoiceNumbers(text);
    // Assess
    expect(numbers).toEqual(expected);
  });
});

describe('bank import', () => {
  it('imports matched payments with invoice links, reviews the unknown payer, skips outgoing, reports broken sections', async () => {
    // Prepare
    const { deps, ledger, review } = bankDeps();
    // Act
    const result = await importBankStatement(deps, { importId: 'bank/2026-11-20/statement.txt#v1', bytes: fixture(), archiveRef: 's3://imports/bank/2026-11-20/statement.txt' });
    // Assess
    expect(result).toMatchObject({ documents: 5, imported: 3, duplicates: 0, skipped: 1, encoding: 'windows-1251' });
    expect(result.errors.map((e) => e.line)).toEqual([72, 91, 98]);
    expect(result.review).toEqual([{ line: 60, reason: 'no single customer with INN 7812345678 / KPP 781201001' }]);
    expect(review.items.get('bank/2026-11-20/statement.txt#v1#60')!.document).toMatchObject({ number: '3301', amount: '46300.00', payerInn: '7812345678' });
    const commands = ledger.calls.map((c) => c.command);
    expect(commands[0]).toEqual({
      type: 'payment.received',
      customerId: 'cust-romashka',
      paymentId: bankPaymentId({ date: '2026-11-17' as never, number: '512', payerInn: '7701234567', amount: '125000.50' }),
      date: '2026-11-18',
      amount: { amount: '125000.50', currency: 'RUB' },
      invoiceIds: ['inv-2026-0415'],
      channel: 'bank',
      reference: 'п/п № 512 от 2026-11-17: Оплата по счету № 415 от 10.11.2026 за товар. Сумма 125000-50 В т.ч. НДС (20%) 20833-42',
    });
    expect(commands[1]).toMatchObject({ customerId: 'cust-petrov', amount: { amount: '43000.00', currency: 'RUB' }, invoiceIds: ['inv-p-416', 'inv-p-417'], date: '2026-11-19' });
    expect(commands[2]).toMatchObject({ customerId: 'cust-romashka', amount: { amount: '46000.00', currency: 'RUB' } });
    expect(commands[2]).not.toHaveProperty('invoiceIds');
    expect(ledger.calls[0]!.origin).toEqual({
      source: 'bank',
      eventId: commands[0]!.type === 'payment.received' ? commands[0]!.paymentId : '',
      archiveRef: 's3://imports/bank/2026-11-20/statement.txt',
      receivedAt: NOW.toISOString(),
    });
  });

  it('is idempotent: importing the same file again books nothing new', async () => {
    // Prepare
    const { deps, ledger } = bankDeps();
    await importBankStatement(deps, { importId: 'first', bytes: fixture() });
    // Act
    const again = await importBankStatement(deps, { importId: 'second', bytes: fixture() });
    // Assess
    expect(again).toMatchObject({ imported: 0, duplicates: 3 });
    expect(ledger.stored.size).toBe(3);
  });

  it('without configured accounts uses the accounts the file lists, and takes every document when it lists none', async () => {
    // Prepare
    const { deps } = bankDeps({ config: {} });
    const noAccounts = statementBytes(STATEMENT_LINES.filter((l) => !l.startsWith('РасчСчет=')));
    // Act
    const fromHeader = await importBankStatement(deps, { importId: 'a', bytes: fixture() });
    const all = await importBankStatement(bankDeps({ config: {} }).deps, { importId: 'b', bytes: noAccounts });
    // Assess
    expect(fromHeader).toMatchObject({ imported: 3, skipped: 1, review: [{ line: 60 }] });
    expect(all.skipped).toBe(0);
    expect(all.imported).toBe(3);
    // two header lines fewer: the unknown payer is at line 58, our own outgoing payment (our INN is no customer) at 78
    expect(all.review.map((r) => r.line)).toEqual([58, 78]);
  });

  it('puts a payment the ledger refuses on the review list instead of losing it', async () => {
    // Prepare
    const { deps, ledger, review } = bankDeps();
    ledger.failWith = new ClosedPeriodError('2026-11-30', '2026-11-18');
    // Act
    const result = await importBankStatement(deps, { importId: 'closed', bytes: fixture() });
    // Assess
    expect(result.imported).toBe(0);
    expect(result.review.map((r) => r.line)).toEqual([21, 47, 60, 102]);
    expect(review.items.get('closed#21')!.reason).toMatch(/refused by the ledger: period closed through 2026-11-30/);
  });

  it('fails the whole import on an infrastructure error so it is retried (reimport is idempotent)', async () => {
    // Prepare
    const { deps, ledger } = bankDeps();
    ledger.failWith = new Error('socket hang up');
    // Act
    const run = importBankStatement(deps, { importId: 'x', bytes: fixture() });
    // Assess
    await expect(run).rejects.toThrow('socket hang up');
  });
});
