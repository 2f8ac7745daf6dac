/**
 * CSV as RFC 4180 has it (fields in double quotes may hold commas, line breaks and "" for a
 * quote; records end in CRLF, LF accepted), written UTF-8 with a byte-order mark so that Excel
 * on a Chinese Windows opens it as UTF-8 rather than GBK.
 */
import { PosError } from '../contract';

export const UTF8_BOM = '\uFEFF';

export interface CsvRecord {
  /** The line the record starts on, 1-based (a quoted field may span lines). */
  line: number;
  fields: string[];
}

/**
 * Parses CSV text into records. Blank lines are skipped. More than `maxRecords` records is
 * refused with TOO_LARGE as soon as the next one starts (the rest is not read); a quote left open
 * or stray text after a closing quote is refused with VALIDATION naming the line.
 */
export function parseCsv(text: string, maxRecords = Number.POSITIVE_INFINITY): CsvRecord[] {
  const records: CsvRecord[] = [];
  const s = text.startsWith(UTF8_BOM) ? text.slice(1) : text;
  let i = 0;
  let line = 1;
  const n = s.length;
  while (i < n) {
    // A blank line (or the final line break) is no record.
    if (s[i] === '\n' || (s[i] === '\r' && s[i + 1] === '\n')) {
      i += s[i] === '\r' ? 2 : 1;
      line += 1;
      continue;
    }
    if (records.length >= maxRecords)
      throw new PosError('TOO_LARGE', `more than ${maxRecords} rows: split the file`, 'csv');
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (s[i] === '"') {
        i += 1;
        for (;;) {
          const q = s.indexOf('"', i);
          if (q < 0)
            throw new PosError(
              'VALIDATION',
              `line ${start}: a quoted field is never closed`,
              'csv',
            );
          const chunk = s.slice(i, q);
          value += chunk;
          for (let k = 0; k < chunk.length; k++) if (chunk.charCodeAt(k) === 10) line += 1;
          if (s[q + 1] === '"') {
            value += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        if (i < n && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r')
          throw new PosError(
            'VALIDATION',
            `line ${line}: text after a closing quote (a quote inside a field is written "")`,
            'csv',
          );
      } else {
        let j = i;
        while (j < n && s[j] !== ',' && s[j] !== '\n' && s[j] !== '\r') j += 1;
        value = s.slice(i, j);
        i = j;
      }
      fields.push(value);
      if (s[i] === ',') {
        i += 1;
        continue;
      }
      // End of the record: CRLF, LF, a lone CR, or the end of the text.
      if (s[i] === '\r') i += s[i + 1] === '\n' ? 2 : 1;
      else if (s[i] === '\n') i += 1;
      line += 1;
      break;
    }
    records.push({ line: start, fields });
  }
  return records;
}

/** One field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows to CSV text: BOM, CRLF after every record. */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  return UTF8_BOM + rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}
