/**
 * Barcode-scanner detection by keystroke timing.
 *
 * A scanner is a keyboard wedge: it "types" the code's digits a few milliseconds apart and ends
 * with Enter. A person never types eight digits and Enter at an average under ~30 ms a key.
 * A busy machine can delay one keystroke of a scan by tens of milliseconds, so a single gap may
 * be as long as `maxGapMs` as long as the burst's average stays under `maxMeanGapMs`. The
 * detector sees every keydown (wherever focus is) and decides for each one:
 *
 * - digits are held back (`swallow`) while a burst may still turn out to be a scan;
 * - a burst of at least `minLength` digits followed quickly by Enter is a scan (`scan`), and none
 *   of its keys reach the focused field;
 * - anything else releases the held-back digits (`release`) to the field they were typed into,
 *   before the current key takes effect, so typing by hand is never lost or reordered. A held
 *   digit with no follow-up within `maxGapMs` is released by `flush` (called from a timer).
 *
 * Pure logic, no DOM: the caller supplies key and timestamp and applies the decision.
 */

export interface ScannerOptions {
  /** Longest gap between two keys of one scan, in ms (digits are held back this long). */
  maxGapMs: number;
  /** Longest average gap over a scan, from its first digit to its Enter, in ms. */
  maxMeanGapMs: number;
  /** Fewest characters a scan may carry (EAN-8 is the shortest retail code). */
  minLength: number;
  /** Most characters a scan may carry. */
  maxLength: number;
}

export const DEFAULT_SCANNER_OPTIONS: ScannerOptions = {
  maxGapMs: 80,
  maxMeanGapMs: 30,
  minLength: 8,
  maxLength: 20,
};

export interface KeyStroke {
  /** KeyboardEvent.key */
  key: string;
  /** KeyboardEvent.timeStamp (ms, monotonic) */
  time: number;
  /** Ctrl, Alt or Meta held. */
  modifier?: boolean;
  /** Auto-repeat of a held key. */
  repeat?: boolean;
  /** IME composition in progress. */
  composing?: boolean;
}

export interface ScanDecision {
  /** Keep this key from its target (preventDefault + stopPropagation). */
  swallow: boolean;
  /** Held-back text to give to the field now, before this key takes effect ('' for none). */
  release: string;
  /** A complete scanned code (only on the Enter that ends a scan). */
  scan: string | null;
}

const PASS: ScanDecision = { swallow: false, release: '', scan: null };

function isDigit(key: string): boolean {
  return key.length === 1 && key >= '0' && key <= '9';
}

export class ScannerDetector {
  private readonly options: ScannerOptions;
  private buffer = '';
  private lastTime = 0;
  private firstTime = 0;

  constructor(options: Partial<ScannerOptions> = {}) {
    this.options = { ...DEFAULT_SCANNER_OPTIONS, ...options };
  }

  /** Digits currently held back. */
  get pending(): string {
    return this.buffer;
  }

  /** Feed one keydown; apply the decision to the event. */
  key(stroke: KeyStroke): ScanDecision {
    const { maxGapMs, minLength, maxLength } = this.options;
    const quick = this.buffer !== '' && stroke.time - this.lastTime <= maxGapMs;

    if (stroke.modifier === true || stroke.repeat === true || stroke.composing === true) {
      return { ...PASS, release: this.take() };
    }

    if (isDigit(stroke.key)) {
      // A slow digit starts a new burst; the old one was typed by hand.
      const release = quick ? '' : this.take();
      if (this.buffer === '') this.firstTime = stroke.time;
      this.buffer += stroke.key;
      this.lastTime = stroke.time;
      if (this.buffer.length > maxLength) {
        // Too long for a barcode: give everything back, this key included.
        return { swallow: true, release: release + this.take(), scan: null };
      }
      return { swallow: true, release, scan: null };
    }

    const meanGap = (stroke.time - this.firstTime) / Math.max(1, this.buffer.length);
    if (
      stroke.key === 'Enter' &&
      quick &&
      this.buffer.length >= minLength &&
      meanGap <= this.options.maxMeanGapMs
    ) {
      const code = this.buffer;
      this.buffer = '';
      return { swallow: true, release: '', scan: code };
    }

    return { ...PASS, release: this.take() };
  }

  /**
   * Called from a timer: if the held-back burst has gone quiet for longer than `maxGapMs`, it was
   * typed by hand; return it for release.
   */
  flush(now: number): string {
    if (this.buffer === '' || now - this.lastTime <= this.options.maxGapMs) return '';
    return this.take();
  }

  /** Forget everything held back and return it. */
  take(): string {
    const text = this.buffer;
    this.buffer = '';
    return text;
  }
}

/**
 * A scan that a stall split in two. A busy machine (or a scanner's hiccup) can hold one keystroke
 * back for longer than `maxGapMs`: the digits before it were then given to the focused field as
 * typing, and the rest arrived as a scan of its own. When that tail is no valid code but the
 * head and tail together are, it was one scan: the caller takes the head back out of the field.
 * Returns the whole code, or null when the two are not one scan.
 */
export function joinSplitScan(
  head: string,
  tail: string,
  isValid: (code: string) => boolean,
  maxLength: number = DEFAULT_SCANNER_OPTIONS.maxLength,
): string | null {
  if (!/^\d+$/.test(head) || isValid(tail)) return null;
  const whole = head + tail;
  return whole.length <= maxLength && isValid(whole) ? whole : null;
}
