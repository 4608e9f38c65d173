/** Email rendering: subject, HTML (auto-escaped) and plain text, from templates/email/layout.*.hbs. */
import type { CompanyRequisites, Letter } from './model.js';
import { renderFile, templatesDir } from './templates.js';
import { buildView } from './view.js';

export interface RenderEmailOptions {
  company: CompanyRequisites;
  /** The email accompanies a printed letter (warning/claim email copy): subject prefix and a note. */
  copy?: boolean;
  templatesDir?: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export function renderEmail(letter: Letter, opts: RenderEmailOptions): RenderedEmail {
  const dir = templatesDir(opts.templatesDir);
  const view = buildView(letter, opts.company, { copy: opts.copy, templatesDir: dir });
  const html = renderFile('html', dir, 'email/layout.html.hbs', view);
  const text = `${renderFile('text', dir, 'email/layout.txt.hbs', view)
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
  return { subject: view.subject.replace(/[\r\n]+/g, ' ').trim(), html, text };
}
