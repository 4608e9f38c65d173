/**
 * Parse each font once per process. pdfkit calls fontkit.create() for every document, re-parsing the
 * Roboto TTFs (GSUB/GPOS, cmap, metrics) each time: ~2/3 of a letter's render time. fontkit Font
 * objects are read-only after parsing and each pdfkit document makes its own subset, so sharing them is
 * safe. This swaps pdfkit's view of fontkit for a memoizing one; it must load before pdfkit, and does
 * nothing where the module cache is not used (a bundle that inlines fontkit).
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Whether the shared-font cache took effect in this process, and why not when it did not (read by
 * tests; no environment switch: a missing cache only makes rendering slower).
 */
export const fontCacheStatus: { installed: boolean; reason?: string } = { installed: false };

try {
  const pdfkitDir = dirname(require.resolve('pdfkit'));
  const fontkitPath = require.resolve('fontkit', { paths: [pdfkitDir] });
  if (!require.cache[fontkitPath]) require(fontkitPath);
  const entry = require.cache[fontkitPath];
  const fontkit = entry?.exports as { create(buf: Uint8Array, family?: string): unknown; __claimflowMemo?: boolean } | undefined;
  if (entry && fontkit && !fontkit.__claimflowMemo) {
    const fonts = new Map<string, unknown>();
    const memo = { ...fontkit } as typeof fontkit; // the exports are getters: copy their values
    memo.create = (buf: Uint8Array, family?: string) => {
      const key = `${createHash('sha1').update(buf).digest('hex')}#${family ?? ''}`;
      let font = fonts.get(key);
      if (!font) {
        font = memoizeLayout(keepCodePoints(fontkit.create(buf, family) as GlyphFont) as unknown as LayoutFont);
        fonts.set(key, font);
      }
      return font;
    };
    memo.__claimflowMemo = true;
    entry.exports = memo;
  }
  if (entry?.exports?.__claimflowMemo) fontCacheStatus.installed = true;
  else fontCacheStatus.reason = 'fontkit is not in the module cache (a bundle that inlines it)';
} catch (err) {
  // pdfkit/fontkit not resolvable from here: rendering still works, only slower.
  fontCacheStatus.reason = `fontkit not resolvable: ${err instanceof Error ? err.message : String(err)}`;
}

interface GlyphFont {
  _glyphs: Record<number, { codePoints: number[] } | undefined>;
  getGlyph(id: number, characters?: number[]): { codePoints: number[] } | null;
}

/**
 * A shared font also shares fontkit's glyph cache, where the first caller of getGlyph(id) fixes the
 * glyph's code points. Subsetting a document (composite glyph components) asks for glyphs without
 * code points; cached, such a glyph later reaches pdfkit's ToUnicode map empty and its character
 * drops out of every later document's text (pdftotext, search, copy), though it still prints. So a
 * glyph made without code points is not kept in the cache, and one cached without them is remade when
 * code points come.
 */
function keepCodePoints(font: GlyphFont): GlyphFont {
  const getGlyph = font.getGlyph.bind(font);
  font.getGlyph = (id: number, characters: number[] = []) => {
    const had = font._glyphs[id];
    if (had && had.codePoints.length === 0 && characters.length) delete font._glyphs[id];
    const g = getGlyph(id, characters);
    if (!had && characters.length === 0) delete font._glyphs[id];
    return g;
  };
  return font;
}

interface GlyphRunLike {
  glyphs: unknown[];
  positions: Record<string, number>[];
}
interface LayoutFont {
  layout(text: string, features?: unknown, ...rest: unknown[]): GlyphRunLike;
}

/** Shaped runs kept per font (words and short strings; amounts and numbers vary, so bounded). */
const LAYOUT_CACHE_MAX = 50_000;

/**
 * Shaping (fontkit's GSUB/GPOS lookups) is the other large share of a letter's render time. pdfkit
 * caches shaped words per document only; with the parsed font shared, the shaped runs can be shared too.
 * pdfkit scales the `positions` of the run it gets in place, so every caller gets its own copies of the
 * position objects; the cached run itself is never handed out. Glyph objects are read-only to pdfkit.
 */
const shapedCaches: Map<string, GlyphRunLike>[] = [];
/** Forget every shaped run (tests compare a cold render with a warm one). */
export function clearShapingCache(): void {
  for (const c of shapedCaches) c.clear();
}

function memoizeLayout(font: LayoutFont): LayoutFont {
  const shaped = new Map<string, GlyphRunLike>();
  shapedCaches.push(shaped);
  const layout = font.layout.bind(font);
  font.layout = (text: string, features?: unknown, ...rest: unknown[]) => {
    if (rest.length) return layout(text, features, ...rest);
    const key = features === undefined ? text : `${JSON.stringify(features)}\u0000${text}`;
    let run = shaped.get(key);
    if (!run) {
      run = layout(text, features);
      if (shaped.size >= LAYOUT_CACHE_MAX) shaped.clear();
      shaped.set(key, run);
    }
    const copy = Object.assign(Object.create(Object.getPrototypeOf(run) as object) as GlyphRunLike, run);
    copy.positions = run.positions.map((p) => Object.assign(Object.create(Object.getPrototypeOf(p) as object) as Record<string, number>, p));
    return copy;
  };
  return font;
}

/** The Roboto fonts bundled with pdfmake (Cyrillic included); one definition for every renderer. */
export const FONT_DIR = (() => {
  try {
    return `${dirname(require.resolve('pdfmake/package.json'))}/fonts/Roboto`;
  } catch {
    return 'fonts/Roboto';
  }
})();
export const ROBOTO_FONTS = {
  Roboto: {
    normal: `${FONT_DIR}/Roboto-Regular.ttf`,
    bold: `${FONT_DIR}/Roboto-Medium.ttf`,
    italics: `${FONT_DIR}/Roboto-Italic.ttf`,
    bolditalics: `${FONT_DIR}/Roboto-MediumItalic.ttf`,
  },
};

/**
 * pdfmake is a process-wide singleton: set fonts and access policies right before each createPdf.
 * No remote URLs; local reads only from the bundled font folder. (pdfmake is passed in: importing it
 * here would load pdfkit before the font cache above is installed.)
 */
export function preparePdfmake(pdfmake: {
  setFonts(f: unknown): void;
  setUrlAccessPolicy(p: (url: string) => boolean): void;
  setLocalAccessPolicy(p: (path: string) => boolean): void;
}): void {
  pdfmake.setFonts(structuredClone(ROBOTO_FONTS));
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((p: string) => p.startsWith(FONT_DIR));
}
