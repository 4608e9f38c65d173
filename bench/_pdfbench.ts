import { renderLetterPdf } from '../functions/letters/index.js';
import { letter, COMPANY as company } from '../test/unit/letters/fixtures.js';
const N = 300;
const ls = Array.from({ length: N }, (_, i) => letter({ stage: i % 2 ? 'claim' : 'litigation' } as never, { customerId: `C${i}`, name: `ООО Ромашка ${i}` } as never));
await renderLetterPdf(ls[0]!, company as never);
const t = performance.now();
for (const l of ls) await renderLetterPdf(l, company as never);
console.log('letters', ((performance.now() - t) / N).toFixed(2), 'ms each');
