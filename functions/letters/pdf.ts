/**
 * Printed letters (pdfmake 0.3.11 server-side, bundled Roboto for Cyrillic; A4) and the per-run print
 * batch: ONE PDF with every printed letter, then one envelope per letter (DL 220×110 mm or C5 229×162 mm).
 *
 * pdfmake lays out every page in the document's single page size (its open feature request #325: per-page
 * size is not supported; only orientation can change). The batch therefore lays the A4 letters out with
 * pdfmake, then takes the underlying pdfkit document from pdfmake's public `getStream()` and appends the
 * envelope pages with pdfkit's own `addPage({ size })`, before the document is ended. One document, real
 * envelope page sizes.
 *
 * Template fields are data: pdfmake prints strings literally (no markup), and the body paragraphs come
 * from the non-compiling text environment (see templates.ts), so a name like "<b>{{x}}</b>" prints as is.
 */
import { preparePdfmake, ROBOTO_FONTS } from './font-cache.js'; // before pdfmake/pdfkit load: parse fonts once
import { readFileSync } from 'node:fs';
import pdfmake from 'pdfmake';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { ValidationError } from '../domain/errors.js';
import type { CompanyRequisites, Letter } from './model.js';
import { buildView, type LetterView } from './view.js';

let fontBytes: { regular: Buffer; bold: Buffer } | undefined;
const envelopeFonts = () => (fontBytes ??= { regular: readFileSync(ROBOTO_FONTS.Roboto.normal), bold: readFileSync(ROBOTO_FONTS.Roboto.bold) });

const MM = 72 / 25.4;
export const ENVELOPES = {
  DL: { width: 220 * MM, height: 110 * MM },
  C5: { width: 229 * MM, height: 162 * MM },
} as const;
export type EnvelopeFormat = keyof typeof ENVELOPES;

export interface PdfOptions {
  templatesDir?: string;
}

const configurePdfmake = () => preparePdfmake(pdfmake);

const GREY = '#555555';
const NAVY = '#1f3b57';

/** The pdfmake content of one letter (exported for tests and for other documents that embed a letter). */
export function letterContent(v: LetterView): Content[] {
  const head: Content[] = [
    { text: v.company.name, bold: true, fontSize: 12, color: NAVY },
    { text: v.company.ident, fontSize: 8.5, color: GREY },
    { text: v.company.bank, fontSize: 8.5, color: GREY },
    ...(v.company.contacts ? [{ text: v.company.contacts, fontSize: 8.5, color: GREY } as Content] : []),
    { canvas: [{ type: 'line', x1: 0, y1: 4, x2: 483, y2: 4, lineWidth: 1, lineColor: NAVY }], margin: [0, 0, 0, 14] },
  ];
  const recipient: Content[] = v.internal
    ? [{ text: v.t.legalTeam!, bold: true }, { text: v.customer.name, fontSize: 9.5 }, ...(v.customer.ident ? [{ text: v.customer.ident, fontSize: 9.5 } as Content] : [])]
    : [
        { text: v.customer.name, bold: true },
        ...(v.customer.ident ? [{ text: v.customer.ident, fontSize: 9.5 } as Content] : []),
        ...v.customer.addressLines.map((l) => ({ text: l, fontSize: 9.5 }) as Content),
      ];
  const showOverdue = v.showOverdue;
  const header = [v.t.contract, v.t.invoice, v.t.invoiceDate, v.t.amount, v.t.outstanding, v.t.dueDate, ...(showOverdue ? [v.t.daysOverdue] : [])].map((h) => ({
    text: h!,
    bold: true,
    fillColor: '#e8eef4',
    fontSize: 8.5,
  }));
  const rows = v.invoices.map((i) => [
    i.contract,
    i.number,
    { text: i.issueDate, noWrap: true },
    { text: i.amount, alignment: 'right' as const, noWrap: true },
    { text: i.outstanding, alignment: 'right' as const, noWrap: true },
    { text: i.dueDate, noWrap: true },
    ...(showOverdue ? [{ text: i.daysOverdue, alignment: 'right' as const }] : []),
  ]);
  const totalRows = v.totals.map((t) => [
    { text: v.t.total!, bold: true, colSpan: 4, alignment: 'right' as const },
    '',
    '',
    '',
    { text: t, bold: true, alignment: 'right' as const, noWrap: true },
    { text: '', colSpan: showOverdue ? 2 : 1 },
    ...(showOverdue ? [''] : []),
  ]);
  const para = (text: string): Content => ({ text, margin: [0, 0, 0, 7], alignment: 'justify' });
  const signature: Content = v.internal
    ? { text: '', margin: [0, 0, 0, 0] }
    : {
        margin: [0, 28, 0, 0],
        unbreakable: true,
        stack: [
          {
            columns: [
              { width: '*', text: v.company.signatoryTitle },
              { width: 140, text: '________________________', alignment: 'center' },
              { width: 'auto', text: v.company.signatoryName },
            ],
          },
          {
            columns: [
              { width: '*', text: '' },
              { width: 140, text: v.t.signature!, fontSize: 7.5, color: GREY, alignment: 'center' },
              { width: 'auto', text: '' },
            ],
          },
          { text: v.t.stamp!, fontSize: 9, color: GREY, margin: [0, 10, 0, 0] },
        ],
      };
  return [
    ...head,
    {
      columns: [
        { width: '*', stack: [{ text: v.outgoing, fontSize: 9.5 }] },
        { width: 230, stack: recipient },
      ],
      margin: [0, 0, 0, 22],
    },
    { text: v.title, bold: true, fontSize: 14, alignment: 'center', color: NAVY, margin: [0, 0, 0, 12] },
    ...v.before.map(para),
    {
      table: {
        headerRows: 1,
        dontBreakRows: true,
        widths: showOverdue ? ['*', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto'] : ['*', 'auto', 'auto', 'auto', 'auto', 'auto'],
        body: [header, ...rows, ...totalRows],
      },
      layout: 'lightHorizontalLines',
      fontSize: 8.5,
      margin: [0, 2, 0, 10],
    },
    ...(v.penaltyText ? [para(v.penaltyText)] : []),
    ...v.after.map(para),
    signature,
  ];
}

function docDefinition(content: Content[], title: string): TDocumentDefinitions {
  return {
    pageSize: 'A4',
    pageMargins: [56, 40, 56, 48],
    info: { title, creator: 'claimflow' },
    defaultStyle: { font: 'Roboto', fontSize: 10.5, lineHeight: 1.2 },
    content,
  };
}

/** The full pdfmake document definition of a single letter (pure data; exported for tests). */
export function letterDocDefinition(letter: Letter, company: CompanyRequisites, opts: PdfOptions = {}): TDocumentDefinitions {
  const v = buildView(letter, company, { templatesDir: opts.templatesDir });
  const def = docDefinition(letterContent(v), `${v.title} ${v.outgoingNumber}`);
  def.footer = (page: number, pages: number) => ({ text: `${v.outgoing} · ${v.t.page} ${page}/${pages}`, fontSize: 7.5, color: GREY, alignment: 'center' });
  return def;
}

async function streamToBytes(doc: NodeJS.ReadableStream & { end(): void }): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
    doc.end();
  });
}

/** One letter as an A4 PDF. */
export async function renderLetterPdf(letter: Letter, company: CompanyRequisites, opts: PdfOptions = {}): Promise<Uint8Array> {
  const def = letterDocDefinition(letter, company, opts);
  configurePdfmake();
  const buf = await pdfmake.createPdf(def).getBuffer();
  return new Uint8Array(buf);
}

export interface PrintBatchOptions extends PdfOptions {
  /** DL 220×110 mm or C5 229×162 mm. Envelopes follow all the letters (one tray switch for the printer). */
  envelope: EnvelopeFormat;
}

/** pdfkit drawing surface we use on the document pdfmake hands back (public pdfkit API). */
interface PdfKitDoc extends NodeJS.ReadableStream {
  addPage(opts: { size: [number, number]; margins: { top: number; bottom: number; left: number; right: number } }): PdfKitDoc;
  font(src: Buffer): PdfKitDoc;
  fontSize(n: number): PdfKitDoc;
  fillColor(c: string): PdfKitDoc;
  text(t: string, x: number, y: number, o?: { width?: number; lineGap?: number }): PdfKitDoc;
  text(t: string, o?: { width?: number; lineGap?: number }): PdfKitDoc;
  moveDown(n?: number): PdfKitDoc;
  rect(x: number, y: number, w: number, h: number): PdfKitDoc;
  lineWidth(n: number): PdfKitDoc;
  strokeColor(c: string): PdfKitDoc;
  stroke(): PdfKitDoc;
  end(): void;
}

function drawEnvelope(doc: PdfKitDoc, v: LetterView, format: EnvelopeFormat): void {
  const { width, height } = ENVELOPES[format];
  const f = envelopeFonts();
  doc.addPage({ size: [width, height], margins: { top: 0, bottom: 0, left: 0, right: 0 } });
  // Sender: top left.
  const sx = 12 * MM;
  const sy = 10 * MM;
  const sw = 85 * MM;
  doc.font(f.regular).fontSize(7).fillColor(GREY).text(`${v.t.from}:`, sx, sy, { width: sw });
  doc
    .font(f.bold)
    .fontSize(9)
    .fillColor('#000000')
    .text(v.company.addressLines[0] ?? v.company.name, { width: sw });
  doc.font(f.regular).fontSize(8.5);
  for (const l of v.company.addressLines.slice(1)) doc.text(l, { width: sw, lineGap: 0.5 });
  // Recipient: lower right, in the address window area.
  const rw = 100 * MM;
  const rx = width - rw - 12 * MM;
  const ry = height - (format === 'DL' ? 52 : 70) * MM;
  doc.font(f.regular).fontSize(7.5).fillColor(GREY).text(`${v.t.to}:`, rx, ry, { width: rw });
  doc.font(f.bold).fontSize(11).fillColor('#000000').text(v.customer.name, { width: rw });
  doc.font(f.regular).fontSize(7.5).fillColor(GREY).text(`${v.t.toAddress}:`, { width: rw });
  doc.font(f.regular).fontSize(10.5).fillColor('#000000');
  for (const l of v.customer.addressLines) doc.text(l, { width: rw, lineGap: 1 });
}

/**
 * The run's print batch: every letter (A4, each starting on a new page), then one envelope per letter in
 * the same order. Letters without a postal address are refused (they cannot be posted).
 */
export async function renderPrintBatch(letters: readonly Letter[], company: CompanyRequisites, opts: PrintBatchOptions): Promise<Uint8Array> {
  if (!letters.length) throw new ValidationError([{ field: 'letters', message: 'the print batch needs at least one letter' }]);
  if (!(opts.envelope in ENVELOPES)) throw new ValidationError([{ field: 'envelope', message: 'must be DL or C5' }]);
  const missing = letters.map((l, i) => [l, i] as const).filter(([l]) => !l.customer.address);
  if (missing.length) {
    throw new ValidationError(missing.map(([l, i]) => ({ field: `letters.${i}.customer.address`, message: `no postal address for ${l.customer.customerId}` })));
  }
  const views = letters.map((l) => buildView(l, company, { templatesDir: opts.templatesDir }));
  const content: Content[] = views.map((v, i) => ({ stack: letterContent(v), ...(i > 0 ? { pageBreak: 'before' as const } : {}) }));
  configurePdfmake();
  const doc = (await pdfmake.createPdf(docDefinition(content, `Print batch ${letters[0]!.runDate}`)).getStream()) as unknown as PdfKitDoc;
  for (const v of views) drawEnvelope(doc, v, opts.envelope);
  return streamToBytes(doc);
}
