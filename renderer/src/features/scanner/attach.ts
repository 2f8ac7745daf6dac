/**
 * Wires a ScannerDetector to the window: every keydown passes through it (capture phase, before
 * any field or React handler sees it), so a scan reaches `onScan` wherever focus happens to be and
 * never types into the wrong field.
 */
import { DEFAULT_SCANNER_OPTIONS, ScannerDetector, type ScannerOptions } from './detector';

/** Give held-back text to the field it was typed into, as if it had been typed there. */
export function insertText(target: EventTarget | null, text: string): void {
  if (text === '') return;
  if (!(target instanceof HTMLInputElement) && !(target instanceof HTMLTextAreaElement)) return;
  if (target.disabled || target.readOnly || !target.isConnected) return;
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
  if (insert === '') return;
  if (start === null) {
    // Through the prototype's setter, so that React's value tracker notices the change.
    const proto =
      target instanceof HTMLInputElement
        ? HTMLInputElement.prototype
        : HTMLTextAreaElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(target, target.value + insert);
  } else {
    target.setRangeText(insert, from, to, 'end');
  }
  target.dispatchEvent(new Event('input', { bubbles: true }));
}

export function attachScanner(
  win: Window,
  onScan: (code: string) => void,
  options: Partial<ScannerOptions> = {},
): () => void {
  const detector = new ScannerDetector(options);
  const maxGapMs = options.maxGapMs ?? DEFAULT_SCANNER_OPTIONS.maxGapMs;
  let burstTarget: EventTarget | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flushLater = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      insertText(burstTarget, detector.flush(win.performance.now()));
    }, maxGapMs + 10);
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
    insertText(burstTarget ?? event.target, decision.release);
    if (decision.swallow) {
      event.preventDefault();
      event.stopPropagation();
    }
    if (detector.pending.length === 1) burstTarget = event.target;
    if (detector.pending !== '') flushLater();
    else clearTimeout(timer);
    if (decision.scan !== null) onScan(decision.scan);
  };

  win.addEventListener('keydown', onKeyDown, { capture: true });
  return () => {
    win.removeEventListener('keydown', onKeyDown, { capture: true });
    clearTimeout(timer);
    insertText(burstTarget, detector.take());
  };
}
