import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinSplitScan, ScannerDetector, type ScanDecision } from './detector';

/** Feed keys with a fixed gap; return every decision. */
function feed(
  detector: ScannerDetector,
  keys: string[],
  start: number,
  gap: number,
): { decisions: ScanDecision[]; end: number } {
  const decisions: ScanDecision[] = [];
  let time = start;
  for (const key of keys) {
    decisions.push(detector.key({ key, time }));
    time += gap;
  }
  return { decisions, end: time - gap };
}

const code = '6901234567892';
const scanKeys = [...code.split(''), 'Enter'];

describe('ScannerDetector', () => {
  it('recognises a fast burst of digits ending in Enter as a scan, swallowing every key', () => {
    const detector = new ScannerDetector();
    const { decisions } = feed(detector, scanKeys, 1000, 8);
    assert.ok(
      decisions.every((d) => d.swallow),
      'no key of a scan reaches the focused field',
    );
    assert.ok(decisions.every((d) => d.release === ''));
    assert.equal(decisions.at(-1)?.scan, code);
    assert.equal(detector.pending, '');
  });

  it('gives slowly typed digits back to the field, in order', () => {
    const detector = new ScannerDetector();
    const released: string[] = [];
    let time = 0;
    for (const key of '12345'.split('')) {
      const d = detector.key({ key, time });
      released.push(d.release);
      time += 150; // a person typing
    }
    // Each digit is released when the next one shows it was not a scan, the last by flush.
    released.push(detector.flush(time));
    assert.equal(released.join(''), '12345');
  });

  it('releases held digits before a slow Enter, and lets that Enter through', () => {
    const detector = new ScannerDetector();
    feed(detector, code.split(''), 0, 8);
    const enter = detector.key({ key: 'Enter', time: 8 * 12 + 200 });
    assert.equal(enter.swallow, false);
    assert.equal(enter.release, code);
    assert.equal(enter.scan, null);
  });

  it('does not treat a short fast burst as a scan (too few digits)', () => {
    const detector = new ScannerDetector({ minLength: 8 });
    const { decisions } = feed(detector, ['1', '0', '0', 'Enter'], 0, 5);
    const enter = decisions.at(-1);
    assert.equal(enter?.scan, null);
    assert.equal(enter?.swallow, false);
    assert.equal(enter?.release, '100');
  });

  it('accepts EAN-8 and UPC-A lengths', () => {
    for (const c of ['96385074', '036000291452']) {
      const detector = new ScannerDetector();
      const { decisions } = feed(detector, [...c.split(''), 'Enter'], 0, 10);
      assert.equal(decisions.at(-1)?.scan, c);
    }
  });

  it('a gap longer than maxGapMs splits the burst: the earlier part is released', () => {
    const detector = new ScannerDetector({ maxGapMs: 40 });
    feed(detector, '1234'.split(''), 0, 10); // ends at t=30
    const d = detector.key({ key: '5', time: 30 + 100 });
    assert.equal(d.release, '1234');
    assert.equal(d.swallow, true);
    assert.equal(detector.pending, '5');
  });

  it('letters are never held: they release pending digits and pass', () => {
    const detector = new ScannerDetector();
    detector.key({ key: '4', time: 0 });
    const d = detector.key({ key: 'a', time: 3 });
    assert.deepEqual(d, { swallow: false, release: '4', scan: null });
    assert.equal(detector.pending, '');
  });

  it('fast typing of a word with Enter (e.g. an automated test) is not a scan', () => {
    const detector = new ScannerDetector();
    const { decisions } = feed(detector, [...'cola'.split(''), 'Enter'], 0, 2);
    assert.ok(decisions.every((d) => !d.swallow && d.scan === null && d.release === ''));
  });

  it('modifier keys, auto-repeat and IME composition release and pass', () => {
    for (const extra of [{ modifier: true }, { repeat: true }, { composing: true }]) {
      const detector = new ScannerDetector();
      detector.key({ key: '1', time: 0 });
      const d = detector.key({ key: '2', time: 5, ...extra });
      assert.deepEqual(d, { swallow: false, release: '1', scan: null });
    }
  });

  it('flush releases a quiet burst only after maxGapMs', () => {
    const detector = new ScannerDetector({ maxGapMs: 40 });
    detector.key({ key: '7', time: 100 });
    assert.equal(detector.flush(130), '');
    assert.equal(detector.pending, '7');
    assert.equal(detector.flush(141), '7');
    assert.equal(detector.pending, '');
  });

  it('a burst longer than maxLength is given back in full', () => {
    const detector = new ScannerDetector({ maxLength: 5 });
    const { decisions } = feed(detector, '123456'.split(''), 0, 5);
    assert.equal(decisions.at(-1)?.release, '123456');
    assert.equal(detector.pending, '');
  });

  it('Enter with nothing held passes untouched', () => {
    const detector = new ScannerDetector();
    assert.deepEqual(detector.key({ key: 'Enter', time: 0 }), {
      swallow: false,
      release: '',
      scan: null,
    });
  });

  it('two scans back to back are both recognised', () => {
    const detector = new ScannerDetector();
    const first = feed(detector, scanKeys, 0, 5);
    const second = feed(detector, [...'96385074'.split(''), 'Enter'], first.end + 5, 5);
    assert.equal(first.decisions.at(-1)?.scan, code);
    assert.equal(second.decisions.at(-1)?.scan, '96385074');
    assert.ok(second.decisions.every((d) => d.release === ''));
  });

  it('one slow keystroke inside a fast burst (a busy machine) does not break the scan', () => {
    const detector = new ScannerDetector();
    let time = 0;
    const decisions: ScanDecision[] = [];
    for (const [i, key] of scanKeys.entries()) {
      time += i === 4 ? 70 : 6;
      decisions.push(detector.key({ key, time }));
    }
    assert.equal(decisions.at(-1)?.scan, code);
    assert.ok(decisions.every((d) => d.release === ''));
  });

  it('digits typed by hand at a steady 60 ms are not a scan, and are given back', () => {
    const detector = new ScannerDetector();
    const { decisions } = feed(detector, scanKeys, 0, 60);
    const enter = decisions.at(-1);
    assert.equal(enter?.scan, null);
    assert.equal(enter?.release, code);
  });
});

describe('joinSplitScan', () => {
  const ean13 = (code: string) => code === '6901234567892';
  it('rejoins a scan whose first digits a stall gave to the field', () => {
    assert.equal(joinSplitScan('690', '1234567892', ean13), '6901234567892');
  });
  it('leaves a valid scan alone, and typing that does not complete a code', () => {
    assert.equal(joinSplitScan('12', '6901234567892', ean13), null);
    assert.equal(joinSplitScan('555', '1234567892', ean13), null);
    assert.equal(
      joinSplitScan('ab', '1234567892', () => true),
      null,
    );
  });
});
