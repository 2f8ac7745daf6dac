/** The text of a PDF, page by page, as a reader would copy it (Mozilla's pdf.js, under Node). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

// The standard fonts' data, which text extraction of a Helvetica PDF reads (a path under Node).
const standardFontDataUrl = `${join(
  dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')),
  'standard_fonts',
)}/`;

export async function pdfText(file: string): Promise<string[]> {
  const data = new Uint8Array(readFileSync(file));
  const task = getDocument({ data, standardFontDataUrl });
  const doc = await task.promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
    }
    return pages;
  } finally {
    await task.destroy();
  }
}

/**
 * The filled vector paths the PDF's pages draw, counted by fill colour (from pdf.js's operator
 * list): the charts are vectors, so their bars and slices show up here in their colours.
 */
export async function pdfFillsByColour(file: string): Promise<Map<string, number>> {
  const { OPS } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const data = new Uint8Array(readFileSync(file));
  const task = getDocument({ data, standardFontDataUrl });
  const doc = await task.promise;
  const paints = new Set<number>([OPS.fill, OPS.eoFill, OPS.fillStroke, OPS.eoFillStroke]);
  const fills = new Map<string, number>();
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const list = await (await doc.getPage(n)).getOperatorList();
      let colour = '#000000';
      list.fnArray.forEach((op, i) => {
        const args = list.argsArray[i] as unknown[] | null;
        if (op === OPS.setFillRGBColor && typeof args?.[0] === 'string') colour = args[0];
        // pdf.js folds a path and the operator that paints it into one constructPath.
        const paint = op === OPS.constructPath ? args?.[0] : op;
        if (typeof paint === 'number' && paints.has(paint))
          fills.set(colour, (fills.get(colour) ?? 0) + 1);
      });
    }
    return fills;
  } finally {
    await task.destroy();
  }
}

/** Fills in a colour within a rounding step or two of `hex` (PDF colours are 0..1 floats). */
export function fillsNear(fills: Map<string, number>, hex: string): number {
  const rgb = (h: string): number[] => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
  const want = rgb(hex);
  let count = 0;
  for (const [colour, n] of fills)
    if (rgb(colour).every((c, i) => Math.abs(c - (want[i] ?? 0)) <= 2)) count += n;
  return count;
}
