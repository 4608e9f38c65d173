/**
 * Parser for the 1C client-bank exchange file (1CClientBankExchange, format 1.02/1.03).
 *
 * Encoding: the header line `Кодировка=` says Windows (cp1251, the default) or DOS (cp866); some
 * banks write UTF-8 (with or without a BOM, or `Кодировка=UTF-8`). The bytes are tried as strict
 * UTF-8 first: cp1251 Cyrillic text is never valid UTF-8, so this cannot misread a Windows file.
 *
 * A broken document section (missing or invalid Номер / Дата / Сумма, a line that is not Key=Value,
 * a section that never ends) is reported by the line of its `СекцияДокумент=`; every good document
 * is still returned.
 */
import iconv from 'iconv-lite';
import { Decimal } from 'decimal.js';
import type { CalendarDate } from '../domain/dates.js';
import { isCalendarDate } from '../domain/dates.js';
import type { BankDocument } from '../ports/ingest.js';

export interface BankFileError {
  line: number;
  message: string;
}

export interface ParsedBankFile {
  encoding: 'utf-8' | 'windows-1251' | 'cp866';
  header: Record<string, string>;
  /** Accounts the statement is for (РасчСчет in the header / СекцияРасчСчет). */
  accounts: string[];
  documents: BankDocument[];
  errors: BankFileError[];
}

export function decodeBankFile(bytes: Uint8Array): { text: string; encoding: ParsedBankFile['encoding'] } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8' };
  try {
    // Valid UTF-8 (cp1251 Cyrillic never is): a UTF-8 file whatever its header claims.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    // not UTF-8: a single-byte code page
  }
  // The header key itself is Cyrillic, so it reads correctly only in the file's own code page.
  const win = iconv.decode(buf, 'win1251');
  const winDeclared = /^Кодировка=(.*)$/m.exec(win)?.[1]?.trim().toLowerCase();
  if (winDeclared === 'dos') return { text: iconv.decode(buf, 'cp866'), encoding: 'cp866' };
  if (winDeclared === undefined) {
    const dos = iconv.decode(buf, 'cp866');
    if (/^Кодировка=/m.test(dos)) return { text: dos, encoding: 'cp866' };
  }
  return { text: win, encoding: 'windows-1251' };
}

/** DD.MM.YYYY → YYYY-MM-DD when it is a real date. */
export function ruDate(s: string | undefined): CalendarDate | undefined {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec((s ?? '').trim());
  if (!m) return undefined;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  return isCalendarDate(iso) ? iso : undefined;
}

/** "1250.5" → "1250.50"; refuses anything but a positive amount with at most 2 decimals. */
export function bankAmount(s: string | undefined): string | undefined {
  const t = (s ?? '').trim().replace(',', '.');
  if (!/^\d{1,15}(\.\d{1,2})?$/.test(t)) return undefined;
  const d = new Decimal(t);
  return d.gt(0) ? d.toFixed(2) : undefined;
}

const blank = (v: string | undefined): string | undefined => {
  const t = v?.trim();
  return t ? t : undefined;
};

export function parseBankFile(bytes: Uint8Array): ParsedBankFile {
  const { text, encoding } = decodeBankFile(bytes);
  const lines = text.split(/\r\n|\n|\r/);
  const out: ParsedBankFile = { encoding, header: {}, accounts: [], documents: [], errors: [] };
  if ((lines[0] ?? '').trim() !== '1CClientBankExchange') {
    out.errors.push({ line: 1, message: 'not a 1C client-bank file: the first line must be 1CClientBankExchange' });
    return out;
  }
  let doc: { line: number; kind: string; fields: Record<string, string>; fieldLines: Record<string, number>; problems: string[] } | undefined;
  let inAccount = false;
  let ended = false;

  const close = (endLine: number | undefined) => {
    if (!doc) return;
    const d = doc;
    doc = undefined;
    const where = `document section at line ${d.line}`;
    if (endLine === undefined) d.problems.push('the section never ends (КонецДокумента missing)');
    const f = d.fields;
    const number = blank(f['Номер']);
    if (!number) d.problems.push('Номер is missing');
    const date = ruDate(f['Дата']);
    if (!date) d.problems.push(f['Дата'] ? `Дата "${f['Дата']}" (line ${d.fieldLines['Дата']}) is not a real date DD.MM.YYYY` : 'Дата is missing');
    const amount = bankAmount(f['Сумма']);
    if (!amount) d.problems.push(f['Сумма'] ? `Сумма "${f['Сумма']}" (line ${d.fieldLines['Сумма']}) is not a positive amount with at most 2 decimals` : 'Сумма is missing');
    const receivedRaw = blank(f['ДатаПоступило']);
    const receivedDate = receivedRaw ? ruDate(receivedRaw) : undefined;
    if (receivedRaw && !receivedDate) d.problems.push(`ДатаПоступило "${receivedRaw}" (line ${d.fieldLines['ДатаПоступило']}) is not a real date DD.MM.YYYY`);
    const inn = blank(f['ПлательщикИНН']);
    if (inn && inn !== '0' && !/^\d{10}(\d{2})?$/.test(inn)) d.problems.push(`ПлательщикИНН "${inn}" (line ${d.fieldLines['ПлательщикИНН']}) must be 10 or 12 digits`);
    if (d.problems.length > 0 || !number || !date || !amount) {
      out.errors.push({ line: d.line, message: `${where}${number ? ` (№ ${number})` : ''}: ${d.problems.join('; ')}` });
      return;
    }
    const kpp = blank(f['ПлательщикКПП']);
    out.documents.push({
      line: d.line,
      kind: d.kind,
      number,
      date,
      amount,
      ...(receivedDate ? { receivedDate } : {}),
      ...(inn && inn !== '0' ? { payerInn: inn } : {}),
      ...(kpp && kpp !== '0' ? { payerKpp: kpp } : {}),
      ...(blank(f['Плательщик1'] ?? f['Плательщик']) ? { payerName: blank(f['Плательщик1'] ?? f['Плательщик']) } : {}),
      ...(blank(f['ПлательщикСчет'] ?? f['ПлательщикРасчСчет']) ? { payerAccount: blank(f['ПлательщикСчет'] ?? f['ПлательщикРасчСчет']) } : {}),
      ...(blank(f['ПолучательСчет'] ?? f['ПолучательРасчСчет']) ? { payeeAccount: blank(f['ПолучательСчет'] ?? f['ПолучательРасчСчет']) } : {}),
      ...(blank(f['ПолучательИНН']) ? { payeeInn: blank(f['ПолучательИНН']) } : {}),
      ...(blank(f['НазначениеПлатежа']) ? { purpose: blank(f['НазначениеПлатежа']) } : {}),
      fields: f,
    });
  };

  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (ended) break;
    if (line.startsWith('СекцияДокумент')) {
      if (doc) close(undefined);
      doc = { line: lineNo, kind: line.split('=')[1]?.trim() ?? '', fields: {}, fieldLines: {}, problems: [] };
      continue;
    }
    if (line === 'КонецДокумента') {
      if (!doc) out.errors.push({ line: lineNo, message: 'КонецДокумента without a СекцияДокумент' });
      else close(lineNo);
      continue;
    }
    if (line === 'КонецФайла') {
      if (doc) close(undefined);
      ended = true;
      continue;
    }
    if (line === 'СекцияРасчСчет') {
      inAccount = true;
      continue;
    }
    if (line === 'КонецРасчСчет') {
      inAccount = false;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) {
      if (doc) doc.problems.push(`line ${lineNo} is not Key=Value: "${line.slice(0, 60)}"`);
      else out.errors.push({ line: lineNo, message: `not Key=Value: "${line.slice(0, 60)}"` });
      continue;
    }
    const key = line.slice(0, eq).trim();
    const value = lines[i]!.slice(lines[i]!.indexOf('=') + 1).trim();
    if (doc) {
      doc.fields[key] = value;
      doc.fieldLines[key] = lineNo;
    } else {
      if (key === 'РасчСчет' && value && !out.accounts.includes(value)) out.accounts.push(value);
      if (!inAccount) out.header[key] = value;
    }
  }
  if (doc) close(undefined);
  if (!ended) out.errors.push({ line: lines.length, message: 'КонецФайла missing: the file may be truncated' });
  return out;
}
