/**
 * Wires a ScannerDetector to the window: every keydown passes through it (capture phase, before
 * any field or React handler sees it), so a scan reaches `onScan` wherever focus happens to be and
 * never types into the wrong field.
 */
import {
  DEFAULT_SCANNER_OPTIONS,
  joinSplitScan,
  ScannerDetector,
  type ScannerOptions,
} from './detector';

type TextField = HTMLInputElement | HTMLTextAreaElement;

/** Where held-back text went: so that a scan split by a stall can take it back. */
interface Released {
  field: TextField;
  start: number;
  text: string;
  time: number;
}

/** How long after giving digits to a field a scan may still take them back. */
const RECLAIM_MS = 1000;

function setValue(target: TextField, value: string): void {
  // Through the prototype's setter, so that React's value tracker notices the change.
  const proto =
    target instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(target, value);
}

/**
 * Give held-back text to the field it was typed into, as if it had been typed there. Returns
 * where it went (null if nowhere).
 */
export function insertText(
  target: EventTarget | null,
  text: string,
): { field: TextField; start: number; text: string } | null {
  if (text === '') return null;
  if (!(target instanceof HTMLInputElement) && !(target instanceof HTMLTextAreaElement))
    return null;
  if (target.disabled || target.readOnly || !target.isConnected) return null;
  let start: number | null = null;
  let end: number | null = null;
  try {
    start = target.selectionStart;
    end = target.selectionEnd;
  } catch {
    // Input types without a selection (number, email…) throw or return null.
  }
  const from = start ?? target.value.length;
  const to = end ?? from;
  let insert = text;
  if (target.maxLength > 0) {
    const room = target.maxLength - (target.value.length - (to - from));
    insert = insert.slice(0, Math.max(0, room));
  }
  if (insert === '') return null;
  if (start === null) setValue(target, target.value + insert);
  else target.setRangeText(insert, from, to, 'end');
  target.dispatchEvent(new Event('input', { bubbles: true }));
  return {
    field: target,
    start: start === null ? target.value.length - insert.length : from,
    text: insert,
  };
}

/** Take text given by `insertText` back out, if the field still holds it where it was put. */
function takeBack(released: Released): boolean {
  const { field, start, text } = released;
  if (!field.isConnected || field.value.slice(start, start + text.length) !== text) return false;
  setValue(field, field.value.slice(0, start) + field.value.slice(start + text.length));
  try {
    field.setSelectionRange(start, start);
  } catch {
    // Input types without a selection.
  }
  field.dispatchEvent(new Event('input', { bubbles: true }));
  return true;
}

/**
 * `isValidCode` tells a valid barcode (the contract's check digit): with it, a scan that a stall
 * split in two is put back together (see joinSplitScan).
 */
export function attachScanner(
  win: Window,
  onScan: (code: string) => void,
  options: Partial<ScannerOptions> & { isValidCode?: (code: string) => boolean } = {},
): () => void {
  const detector = new ScannerDetector(options);
  const maxGapMs = options.maxGapMs ?? DEFAULT_SCANNER_OPTIONS.maxGapMs;
  const maxLength = options.maxLength ?? DEFAULT_SCANNER_OPTIONS.maxLength;
  let burstTarget: EventTarget | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let released: Released | null = null;

  const release = (target: EventTarget | null, text: string): void => {
    if (text === '') return;
    const put = insertText(target, text);
    released = put !== null ? { ...put, time: win.performance.now() } : null;
  };

  const flushLater = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      release(burstTarget, detector.flush(win.performance.now()));
    }, maxGapMs + 10);
  };

  /** The scan, whole again if a stall had given its first digits to the field just before. */
  const whole = (scan: string): string => {
    const head = released;
    released = null;
    if (head === null || options.isValidCode === undefined) return scan;
    if (win.performance.now() - head.time > RECLAIM_MS) return scan;
    const joined = joinSplitScan(head.text, scan, options.isValidCode, maxLength);
    return joined !== null && takeBack(head) ? joined : scan;
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    const decision = detector.key({
      key: event.key,
      time: event.timeStamp,
      modifier: event.ctrlKey || event.altKey || event.metaKey,
      repeat: event.repeat,
      composing: event.isComposing,
    });
    // Earlier keys first: held-back text goes to where its burst was typed.
    release(burstTarget ?? event.target, decision.release);
    // Anything but a digit or Enter is typing: what was given to a field stays there.
    if (!/^[0-9]$/.test(event.key) && event.key !== 'Enter') released = null;
    if (decision.swallow) {
      event.preventDefault();
      event.stopPropagation();
    }
    if (detector.pending.length === 1) burstTarget = event.target;
    if (detector.pending !== '') flushLater();
    else clearTimeout(timer);
    if (decision.scan !== null) onScan(whole(decision.scan));
  };

  win.addEventListener('keydown', onKeyDown, { capture: true });
  return () => {
    win.removeEventListener('keydown', onKeyDown, { capture: true });
    clearTimeout(timer);
    insertText(burstTarget, detector.take());
  };
}
