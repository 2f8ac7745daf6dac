import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { textWidth } from './escpos';
import {
  encodeReceipt,
  layoutReceipt,
  REPRINT_MARK,
  renderReceipt,
  shopTime,
  yuan,
  type PaperColumns,
  type ReceiptBlock,
  type ReceiptInput,
} from './receipt';
import { cashSale, line } from './test-support/sale';

const sale = cashSale(
  [
    line(1, '可口可乐 330ml', 'Coca-Cola 330ml', 2, 350),
    line(
      2,
      '康师傅红烧牛肉面五连包家庭装超值特惠',
      'Master Kong beef noodles, pack of five',
      1,
      1590,
      200,
    ),
    line(3, 'Evian', 'Evian', 12, 500),
  ],
  10_000,
  100,
);

function input(more: Partial<ReceiptInput> = {}): ReceiptInput {
  return {
    sale,
    shopName: '示范便利店 Demo Mart',
    terminalId: 'T01',
    cashier: '李收银',
    timezone: 'Asia/Shanghai',
    locale: 'zh-CN',
    reprintAt: null,
    ...more,
  };
}

function texts(blocks: ReceiptBlock[]): string[] {
  return blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : ['[QR]']));
}

/** Every line fits the paper: double-width lines count twice. */
function assertFits(blocks: ReceiptBlock[], columns: PaperColumns): void {
  for (const b of blocks) {
    if (b.kind !== 'text') continue;
    assert.ok(textWidth(b.text) * b.width <= columns, `too wide for ${columns}: "${b.text}"`);
  }
}

describe('receipt layout at 48 columns (80 mm)', () => {
  const blocks = layoutReceipt(input(), 48);
  const lines = texts(blocks);

  it('lines up the numbers whatever the name, Chinese characters counted as two columns', () => {
    assert.ok(lines.includes('可口可乐 330ml              2     3.50      7.00'));
    assert.ok(lines.includes('Evian                      12     5.00     60.00'));
    // 可口可乐 330ml is 14 characters but 18 columns; Evian 5 and 5: both rows are 48 wide.
    for (const row of ['可口可乐 330ml', 'Evian'])
      assert.equal(textWidth(lines.find((l) => l.startsWith(row)) ?? ''), 48);
    assert.ok(lines.includes('商品                     数量     单价      金额'));
    assertFits(blocks, 48);
  });

  it('wraps a long name under itself, the numbers on its first line', () => {
    const at = lines.indexOf('康师傅红烧牛肉面五连包      1    15.90     15.90');
    assert.ok(at > 0, lines.join('\n'));
    assert.equal(lines[at + 1], '家庭装超值特惠');
    assert.equal(lines[at + 2], '  折扣                                     -2.00');
  });

  it('right-aligns the totals to the edge of the paper, the total in bold double height', () => {
    for (const row of [
      '小计                                       82.90',
      '单品折扣                                   -2.00',
      '整单折扣                                   -1.00',
      '其中税额                                    9.31',
      '现金                                       79.90',
      '实收现金                                  100.00',
      '找零                                       20.10',
    ])
      assert.ok(lines.includes(row), `missing "${row}" in\n${lines.join('\n')}`);
    const total = blocks.find((b) => b.kind === 'text' && b.text.startsWith('合计'));
    assert.deepEqual(total, {
      kind: 'text',
      text: '合计                                       79.90',
      align: 'left',
      bold: true,
      width: 1,
      height: 2,
    });
  });

  it('heads with the shop, receipt number, shop time, cashier and till; ends with the QR code', () => {
    assert.deepEqual(blocks[0], {
      kind: 'text',
      text: '示范便利店 Demo Mart',
      align: 'center',
      bold: true,
      width: 2,
      height: 2,
    });
    assert.deepEqual(lines.slice(1, 4), [
      '单号: T01-000042',
      '时间: 2025-03-14 10:00:00',
      '收银员: 李收银                         终端: T01',
    ]);
    assert.deepEqual(lines.slice(-3), ['[QR]', 'T01-000042', '谢谢惠顾，欢迎再次光临']);
    assert.deepEqual(
      blocks.find((b) => b.kind === 'qr'),
      { kind: 'qr', data: 'T01-000042' },
    );
    assert.ok(!lines.includes(REPRINT_MARK));
  });

  it('marks a reprint in both languages, with when it was reprinted', () => {
    const reprint = texts(layoutReceipt(input({ reprintAt: '2025-03-15T03:00:00.000Z' }), 48));
    assert.equal(reprint[1], '** 重印 REPRINT **');
    assert.ok(reprint.includes('重印时间: 2025-03-15 11:00:00'));
    const english = texts(
      layoutReceipt(input({ locale: 'en', reprintAt: '2025-03-15T03:00:00Z' }), 48),
    );
    assert.equal(english[1], '** 重印 REPRINT **');
    assert.ok(english.includes('Coca-Cola 330ml             2     3.50      7.00'));
    assert.ok(english.includes('TOTAL                                      79.90'));
  });
});

describe('receipt layout at 32 columns (58 mm)', () => {
  const blocks = layoutReceipt(input(), 32);
  const lines = texts(blocks);

  it('gives names their own lines and the numbers a row under them', () => {
    assertFits(blocks, 32);
    const at = lines.indexOf('可口可乐 330ml');
    assert.equal(lines[at + 1], '            2     3.50      7.00');
    // 16 Chinese characters are 32 columns exactly; the rest wraps.
    const long = lines.indexOf('康师傅红烧牛肉面五连包家庭装超值');
    assert.deepEqual(lines.slice(long + 1, long + 4), [
      '特惠',
      '            1    15.90     15.90',
      '  折扣                     -2.00',
    ]);
    assert.ok(lines.includes('合计                       79.90'));
    assert.ok(lines.includes('收银员: 李收银         终端: T01'));
  });

  it('wraps the double-size shop name at 16 columns', () => {
    assert.deepEqual(
      blocks.slice(0, 2).map((b) => (b.kind === 'text' ? [b.text, b.width] : null)),
      [
        ['示范便利店 Demo', 2],
        ['Mart', 2],
      ],
    );
  });

  it('moves figures too long for their columns to a line of their own', () => {
    const dear = cashSale([line(1, '金条', 'Gold bar', 2, 50_000_000)], 100_000_000);
    const rows = texts(layoutReceipt(input({ sale: dear }), 32));
    const at = rows.indexOf('金条');
    assert.equal(rows[at + 1], '  2 x 500000.00       1000000.00');
    assertFits(layoutReceipt(input({ sale: dear }), 32), 32);
  });
});

describe('receipt bytes', () => {
  it('initialise, Chinese mode, GB18030 text, the QR code of the number, a partial cut', () => {
    const bytes = [...renderReceipt(input(), 48)];
    assert.deepEqual(bytes.slice(0, 4), [0x1b, 0x40, 0x1c, 0x26]);
    // GS V 66 0: feed to the cutter, partial cut.
    assert.deepEqual(bytes.slice(-4), [0x1d, 0x56, 0x42, 0x00]);
    const hex = Buffer.from(bytes).toString('hex');
    // 示范 in GB18030 is CA BE B7 B6; Function 180 storing "T01-000042" (13 = 10 + 3).
    assert.ok(hex.includes('cabeb7b6'));
    assert.ok(hex.includes('1d286b0d00315030' + Buffer.from('T01-000042').toString('hex')));
    // Nothing in the receipt kicks the drawer: that is a job of its own.
    assert.ok(!hex.includes('1b7000'));
  });

  it('switches styles only where they change', () => {
    const bytes = encodeReceipt(
      [
        { kind: 'text', text: 'A', align: 'center', bold: true, width: 2, height: 2 },
        { kind: 'text', text: 'B', align: 'left', bold: false, width: 1, height: 1 },
        { kind: 'text', text: 'C', align: 'left', bold: false, width: 1, height: 1 },
      ],
      32,
    );
    assert.deepEqual(
      [...bytes],
      [
        // ESC @, FS &
        0x1b, 0x40, 0x1c, 0x26,
        // ESC a 1, ESC E 1, GS ! 0x11, "A", LF
        0x1b, 0x61, 0x01, 0x1b, 0x45, 0x01, 0x1d, 0x21, 0x11, 0x41, 0x0a,
        // ESC a 0, ESC E 0, GS ! 0, "B", LF
        0x1b, 0x61, 0x00, 0x1b, 0x45, 0x00, 0x1d, 0x21, 0x00, 0x42, 0x0a,
        // "C", LF: nothing to switch
        0x43, 0x0a,
        // ESC d 2, GS V 66 0
        0x1b, 0x64, 0x02, 0x1d, 0x56, 0x42, 0x00,
      ],
    );
  });
});

describe('money and time on paper', () => {
  it('formats integer fen as yuan', () => {
    assert.equal(yuan(0), '0.00');
    assert.equal(yuan(5), '0.05');
    assert.equal(yuan(123_456), '1234.56');
    assert.equal(yuan(-300), '-3.00');
    assert.throws(() => yuan(1.5), RangeError);
  });

  it("prints the shop's wall-clock time", () => {
    assert.equal(shopTime('2025-03-14T16:30:05.000Z', 'Asia/Shanghai'), '2025-03-15 00:30:05');
    assert.equal(shopTime('2025-03-14T16:30:05.000Z', 'UTC'), '2025-03-14 16:30:05');
    assert.throws(() => shopTime('yesterday', 'UTC'), RangeError);
  });

  it('refuses a paper width it does not know', () => {
    assert.throws(() => layoutReceipt(input(), 40 as PaperColumns), RangeError);
  });
});

describe('payments on paper', () => {
  it('prints tendered and change for cash only: a QR or face sale has no 找零 line', () => {
    for (const method of ['qr', 'face', 'card'] as const) {
      const paid = cashSale([line(1, 'Evian', 'Evian', 2, 500)], 1000);
      const sale = {
        ...paid,
        changeFen: 0,
        payments: paid.payments.map((p) => ({
          ...p,
          method,
          tenderedFen: null,
          changeFen: 0,
        })),
      };
      const lines = texts(layoutReceipt(input({ sale }), 48));
      assert.ok(!lines.some((l) => l.startsWith('找零')), `${method}:\n${lines.join('\n')}`);
      assert.ok(!lines.some((l) => l.startsWith('实收现金')), method);
      assert.ok(
        lines.some((l) => l.startsWith('合计')),
        method,
      );
    }
    // Cash paid exactly still says so: change 0.00 is a cash fact.
    const exact = texts(
      layoutReceipt(input({ sale: cashSale([line(1, 'Evian', 'Evian', 2, 500)], 1000) }), 48),
    );
    assert.ok(
      exact.some((l) => /^找零 +0\.00$/.test(l)),
      exact.join('\n'),
    );
  });
});
