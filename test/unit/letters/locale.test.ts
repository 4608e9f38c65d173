/** Letters wholly in the reader's language: company requisites and the reference prefix per locale. */
import { describe, expect, it } from 'vitest';
import { renderEmail } from '../../../functions/letters/index.js';
import { referencePrefixFor, type CompanyRequisites } from '../../../functions/letters/model.js';
import { outgoingNumber } from '../../../functions/app/process-customer.js';
import { DEFAULT_COMPANY, zCompany } from '../../../functions/config.js';
import { COMPANY, letter } from './fixtures.js';

const BILINGUAL: CompanyRequisites = {
  ...COMPANY,
  locales: {
    en: {
      name: 'Severny Opt LLC',
      legalAddress: '5 Lesnaya St., Moscow 125047, Russia',
      postalAddress: { postalCode: '125047', country: 'Russia', city: 'Moscow', line1: '5 Lesnaya St.' },
      bank: { name: 'Sberbank PJSC' },
      signatory: { name: 'I. I. Petrov', title: 'General Director' },
    },
  },
};

describe('letters in the reader language', () => {
  it('an English claim carries the English company requisites and a Latin reference; the Russian one stays Russian', () => {
    // Prepare: the customer's own data (name, invoice numbers) is English in this case.
    const ref = (locale: 'ru' | 'en') => outgoingNumber('2025-03-11', 'C1', 'claim', referencePrefixFor(BILINGUAL, locale));
    const en = letter(
      { stage: 'claim', outgoingNumber: ref('en'), invoices: letter().invoices.map((i) => ({ ...i, number: 'INV-117', contractNumber: 'S-12/2024' })) },
      { locale: 'en', name: 'Acme Trading Ltd', taxId: undefined, kpp: undefined, address: { city: 'London', line1: '1 King St.' } },
    );
    const ru = letter({ stage: 'claim', outgoingNumber: ref('ru') });
    // Act
    const e = renderEmail(en, { company: BILINGUAL });
    const r = renderEmail(ru, { company: BILINGUAL });
    // Assess
    expect(ref('en')).toMatch(/^REF-20250311-C\d{6}$/);
    expect(ref('ru')).toMatch(/^ИСХ-20250311-C\d{6}$/);
    expect(e.subject).toMatch(/^Formal claim for payment, ref\. REF-20250311-C\d{6} of 11 Mar 2025$/);
    expect(e.text).toContain('Severny Opt LLC');
    expect(e.text).toContain('I. I. Petrov');
    expect(e.text).not.toMatch(/[А-Яа-яЁё]/);
    expect(r.text).toContain('ООО «Северный опт»');
  });

  it('the default configuration has English requisites and prefixes, and validates', () => {
    // Act
    const parsed = zCompany.parse(DEFAULT_COMPANY);
    // Assess
    expect(parsed.locales?.en?.name).toBe('Primer Postavki LLC');
    expect(referencePrefixFor(parsed, 'en')).toBe('REF');
    expect(referencePrefixFor(parsed, 'ru')).toBe('ИСХ');
  });
});
