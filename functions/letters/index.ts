export * from './model.js';
export * from './format.js';
export { renderEmail, type RenderEmailOptions, type RenderedEmail } from './email.js';
export { buildView, type LetterView } from './view.js';
export { DEFAULT_TEMPLATES_DIR, configureTemplatesDir } from './templates.js';
export { renderLetterPdf, renderPrintBatch, letterDocDefinition, letterContent, ENVELOPES, type EnvelopeFormat, type PrintBatchOptions, type PdfOptions } from './pdf.js';
