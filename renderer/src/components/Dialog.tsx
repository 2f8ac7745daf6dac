import { useEffect, useId, useLayoutEffect, useRef, type ReactNode, type RefObject } from 'react';

interface DialogProps {
  title: string;
  children: ReactNode;
  /** Escape closes the dialog. Without it the dialog is left only by its own buttons. */
  onCancel?: () => void;
  /** Focused when the dialog opens (else its first field or button). */
  initialFocus?: RefObject<HTMLElement | null>;
  className?: string;
  testId?: string;
}

const FOCUSABLE = 'input, button, select, textarea, [href], [tabindex]:not([tabindex="-1"])';

/**
 * Focuses a field and, if it holds a prefilled value (the amount due, the last receipt number),
 * selects it: the cashier either confirms it or types over it. Without the selection typing
 * appended ("33.40" then "20" gave "33.4020").
 */
export function focusField(target: HTMLElement | null | undefined): void {
  if (!target) return;
  target.focus();
  if (target instanceof HTMLInputElement && target.value !== '') target.select();
}

/**
 * A dialog over the screen's work area. The status bar stays usable (language, connection,
 * clock); the work area behind is made inert by the screen (see DialogLayer), so focus and
 * clicks cannot reach it.
 */
export function Dialog({
  title,
  children,
  onCancel,
  initialFocus,
  className,
  testId,
}: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const cancel = useRef(onCancel);
  useEffect(() => {
    cancel.current = onCancel;
  }, [onCancel]);

  useLayoutEffect(() => {
    const target = initialFocus?.current ?? ref.current?.querySelector<HTMLElement>(FOCUSABLE);
    if (target) focusField(target);
    // initialFocus is a ref: read once when the dialog opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="dialog-backdrop">
      <div
        ref={ref}
        role="dialog"
        aria-labelledby={titleId}
        className={`dialog ${className ?? ''}`}
        data-testid={testId}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && cancel.current !== undefined) {
            event.preventDefault();
            event.stopPropagation();
            cancel.current();
          }
        }}
      >
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        {children}
      </div>
    </div>
  );
}

/**
 * The screen's work area and the dialogs over it. While a dialog is open the work area is inert
 * (no focus, no clicks, hidden from assistive technology).
 */
export function DialogLayer({ children, dialogs }: { children: ReactNode; dialogs: ReactNode[] }) {
  const open = dialogs.some((d) => d !== null && d !== undefined && d !== false);
  return (
    <div className="work-area">
      <div className="work-area__content" inert={open}>
        {children}
      </div>
      {dialogs}
    </div>
  );
}
