import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PosError } from '../contract';
import { formatCsv, parseCsv, UTF8_BOM } from './csv';

test('RFC 4180: quoted commas, quotes and line breaks; CRLF, LF or CR; blank lines; the BOM', () => {
  const text = `${UTF8_BOM}a,"b,1","say ""hi"""\r\n\r\n"two\r\nlines",,x\nlast,row,"" \rz`;
  assert.throws(() => parseCsv(text), /line 5: text after a closing quote/);
  const ok = `${UTF8_BOM}a,"b,1","say ""hi"""\r\n\r\n"two\r\nlines",,x\nlast,row,""\rz`;
  assert.deepEqual(parseCsv(ok), [
    { line: 1, fields: ['a', 'b,1', 'say "hi"'] },
    { line: 3, fields: ['two\r\nlines', '', 'x'] },
    { line: 5, fields: ['last', 'row', ''] },
    { line: 6, fields: ['z'] },
  ]);
});

test('a quote never closed, and more records than allowed, are refused', () => {
  assert.throws(
    () => parseCsv('a,"b\r\nc'),
    (e: unknown) => {
      return (
        PosError.is(e) &&
        e.code === 'VALIDATION' &&
        /line 1: a quoted field is never closed/.test(e.message)
      );
    },
  );
  assert.throws(
    () => parseCsv('a\r\nb\r\nc\r\n', 2),
    (e: unknown) => {
      return PosError.is(e) && e.code === 'TOO_LARGE';
    },
  );
  assert.equal(parseCsv('a\r\nb\r\n', 2).length, 2);
});

test('format then parse gives the same fields back', () => {
  const rows = [
    ['sku', 'name'],
    ['A,1', 'He said "no"\nthen left'],
    ['', '中文'],
  ];
  const text = formatCsv(rows);
  assert.ok(text.startsWith(UTF8_BOM) && text.endsWith('\r\n'));
  assert.deepEqual(
    parseCsv(text).map((r) => r.fields),
    rows,
  );
});
