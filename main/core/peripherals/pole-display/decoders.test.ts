/**
 * Both command sets through the reader on serialport's mock binding: the bytes a register sends
 * to its pole display, whole and in pieces, with garbage among them, and what the terminal takes
 * from them (the lines, and the amount with its kind). The rule under every test: never a wrong
 * amount; when in doubt, none.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { bytes, mockRegister, type MockRegister } from './test-support/mock-line';
import { figuresOf } from './amount';

const ESC = 0x1b;
const US = 0x1f;
const CLR = [0x0c];
const INIT = [ESC, 0x40];
const upper = (text: string) => bytes([ESC, 0x51, 0x41], text, [0x0d]);
const lower = (text: string) => bytes([ESC, 0x51, 0x42], text, [0x0d]);
const lamp = (n: number) => [ESC, 0x73, 0x30 + n];

let open: MockRegister[] = [];
afterEach(async () => {
  await Promise.all(open.map((r) => r.close()));
  open = [];
});
async function register(protocol: 'cd5220' | 'epson', settleMs?: number) {
  const r = await mockRegister(protocol, settleMs === undefined ? {} : { settleMs });
  open.push(r);
  return r;
}
const last = (r: MockRegister) => r.views.at(-1);
/** Every amount the terminal ever presented. */
const amounts = (r: MockRegister) =>
  r.views.flatMap((v) => (v.amount ? [`${v.amount.kind} ${v.amount.amountFen}`] : []));

describe('CD5220', () => {
  test('init, clear, a line each, the total lamp: the total in fen', async () => {
    const r = await register('cd5220');
    await r.send(bytes(INIT, CLR, upper('TOTAL'), lower('RMB 12.30')));
    assert.deepEqual(last(r)?.lines, ['TOTAL', 'RMB 12.30']);
    assert.deepEqual(last(r)?.amount, { amountFen: 1230, kind: 'total' });
    await r.send(bytes(CLR));
    assert.deepEqual(last(r), { lines: ['', ''], lamp: null, amount: null, settled: true });
  });

  test('the LED 客显 style: digits on line A, the lamp says what they are', async () => {
    const r = await register('cd5220');
    const kinds: [number, string | null][] = [
      [1, 'price'],
      [2, 'total'],
      [3, 'collect'],
      [4, 'change'],
      [0, null],
    ];
    for (const [n, kind] of kinds) {
      await r.send(bytes(upper('56.80'), lamp(n)));
      assert.equal(last(r)?.lamp ?? null, kind);
      assert.deepEqual(
        last(r)?.amount ?? null,
        kind ? { amountFen: 5680, kind } : null,
        `lamp ${n}`,
      );
    }
    // The raw lamp numbers work as well as the digits '0'–'4'.
    await r.send(bytes([ESC, 0x73, 2]));
    assert.equal(last(r)?.amount?.kind, 'total');
  });

  test('a new price under the old total lamp is never read as a total', async () => {
    const r = await register('cd5220');
    await r.send(bytes(upper('12.30'), lamp(2)));
    assert.deepEqual(last(r)?.amount, { amountFen: 1230, kind: 'total' });
    // The next item's price arrives before its lamp, in another read.
    await r.send(bytes(upper('5.00')), { quiet: false });
    await r.send(bytes(lamp(1)), { quiet: false });
    r.reader.settle();
    assert.deepEqual(amounts(r), ['total 1230', 'price 500']);
  });

  test('bytes split anywhere: the same result, and no other amount on the way', async () => {
    const stream = bytes(INIT, CLR, upper('合计 TOTAL'), lower('￥1,234.56'), lamp(2));
    for (const piece of [1, 2, 3, 5, 7]) {
      const r = await register('cd5220');
      await r.send(stream, { pieceSize: piece });
      assert.deepEqual(last(r)?.lines, ['合计 TOTAL', '￥1,234.56'], `pieces of ${piece}`);
      assert.deepEqual(new Set(amounts(r)), new Set(['total 123456']), `pieces of ${piece}`);
    }
  });

  test('cursor moves and text at the cursor; the amount only once the line is quiet', async () => {
    const r = await register('cd5220');
    await r.send(bytes(CLR, 'TOTAL 12.80', [0x08, 0x08], '35'), { quiet: false });
    assert.equal(last(r)?.lines[0], 'TOTAL 12.35');
    assert.equal(last(r)?.amount, null, 'the update may still be arriving');
    await r.send(bytes([ESC, 0x6c, 1, 2], 'THANK YOU', [0x0b]), { quiet: false });
    assert.deepEqual(last(r)?.amount, null);
    r.reader.settle();
    assert.deepEqual(last(r)?.lines, ['TOTAL 12.35', 'THANK YOU']);
    assert.deepEqual(last(r)?.amount, { amountFen: 1235, kind: 'total' });
    assert.deepEqual(amounts(r), ['total 1235']);
  });

  test('a corrupt frame is skipped with a log line, and the old figure is not offered', async () => {
    const r = await register('cd5220');
    await r.send(bytes(CLR, upper('TOTAL'), lower('12.30')));
    assert.equal(last(r)?.amount?.amountFen, 1230);
    // The register meant to change the lower line; 50 bytes and no CR: lost on the way.
    await r.send(bytes([ESC, 0x51, 0x42], '9'.repeat(50)));
    assert.match(r.warnings.join('\n'), /corrupt frame.*no CR/);
    assert.equal(last(r)?.amount, null, '12.30 may no longer be what the register shows');
    // An unknown command and a lamp that does not exist: also skipped, also logged.
    await r.send(bytes([ESC, 0x7e], [ESC, 0x73, 9]));
    assert.equal(r.warnings.length >= 3, true, r.warnings.join('\n'));
    // Both lines written again: the register's figure, readable again.
    await r.send(bytes(upper('TOTAL'), lower('15.00')));
    assert.deepEqual(last(r)?.amount, { amountFen: 1500, kind: 'total' });
    assert.ok(!amounts(r).some((a) => a.endsWith(' 9999')), amounts(r).join());
  });

  test('figures that are not clean amounts are no amount', async () => {
    const r = await register('cd5220');
    for (const text of [
      'TOTAL ---.--',
      'TOTAL 12.345',
      'TOTAL 1.2.3',
      'TOTAL ERROR',
      'TOTAL -5.00',
    ]) {
      await r.send(bytes(CLR, upper(text)));
      assert.equal(last(r)?.amount, null, text);
    }
    await r.send(bytes(CLR, upper('TOTAL 7'), lower('')));
    assert.deepEqual(last(r)?.amount, { amountFen: 700, kind: 'total' });
    await r.send(bytes(upper('CHANGE ¥0.50'.replace('¥', 'RMB'))));
    assert.deepEqual(last(r)?.amount, { amountFen: 50, kind: 'change' });
  });
});

describe('Epson DM-D', () => {
  test('clear, text, US $ to the lower line; the amount once the line is quiet', async () => {
    // The reader's own quiet timer this time (20 ms), not the test saying so.
    const r = await register('epson', 20);
    await r.send(bytes(INIT, CLR, 'TOTAL', [US, 0x24, 1, 2], '￥12.30'), { quiet: false });
    const view = await r.until((v) => v.amount !== null);
    assert.deepEqual(view.lines, ['TOTAL', '￥12.30']);
    assert.deepEqual(view.amount, { amountFen: 1230, kind: 'total' });
    assert.deepEqual(amounts(r), ['total 1230']);
  });

  test('Chinese words, split inside a character; change after the total', async () => {
    const r = await register('epson', 1_000_000);
    const stream = bytes(CLR, '合计', [0x0a, 0x0d], '12.30', [0x0b]);
    await r.send(stream, { pieceSize: 1 });
    assert.deepEqual(last(r)?.lines, ['合计', '12.30']);
    assert.deepEqual(last(r)?.amount, { amountFen: 1230, kind: 'total' });
    await r.send(bytes([0x18], '找零 7.70', [0x0b]));
    assert.deepEqual(last(r)?.lines, ['找零 7.70', '12.30']);
    assert.deepEqual(last(r)?.amount, { amountFen: 770, kind: 'change' });
    assert.deepEqual(amounts(r), ['total 1230', 'change 770']);
  });

  test('bytes for the printer behind the display (ESC = 1) are not the display’s', async () => {
    const r = await register('epson');
    await r.send(bytes(CLR, 'TOTAL 5.00', [0x0b]));
    await r.send(
      bytes([ESC, 0x3d, 1], 'TOTAL 99.00', [ESC, 0x40, 0x0c, 0x0a], [ESC, 0x3d, 2], [0x0b]),
    );
    assert.deepEqual(last(r)?.lines, ['TOTAL 5.00', '']);
    assert.deepEqual(last(r)?.amount, { amountFen: 500, kind: 'total' });
  });

  test('settings are read past with their arguments; an unknown command is corrupt until CLR', async () => {
    const r = await register('epson');
    await r.send(bytes(CLR, [US, 0x58, 4], [US, 0x43, 0], [ESC, 0x74, 0], 'TOTAL 3.00', [0x0b]));
    assert.deepEqual(last(r)?.amount, { amountFen: 300, kind: 'total' });
    await r.send(bytes([US, 0x99], 'TOTAL 4.00', [0x0b]));
    assert.match(r.warnings.join('\n'), /corrupt frame.*US 0x99/);
    assert.equal(last(r)?.amount, null);
    await r.send(bytes(CLR, 'TOTAL 4.00', [0x0b]));
    assert.deepEqual(last(r)?.amount, { amountFen: 400, kind: 'total' });
  });
});

test('figuresOf reads fen exactly, never through floats', () => {
  assert.deepEqual(figuresOf('RMB 0.29  ¥999,999.01'), [29, 99_999_901]);
  assert.equal(figuresOf('¥1,000,000.01'), null, 'above the largest amount the till takes');
  assert.deepEqual(figuresOf('12.3'), [1230]);
  assert.equal(figuresOf('12.345'), null);
  assert.equal(figuresOf('1,23.00'), null);
});
