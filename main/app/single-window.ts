/**
 * A window that exists at most once: opened on the first request, brought back to the front
 * on the next ones while it is open, opened again once it has been closed. Kept free of
 * Electron imports (a BrowserWindow satisfies WindowLike) so it is tested under plain Node.
 */
export interface WindowLike {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

export function singleWindow<W extends WindowLike>(open: () => W): () => W {
  let current: W | null = null;
  return () => {
    if (current !== null && !current.isDestroyed()) {
      if (current.isMinimized()) current.restore();
      current.show();
      current.focus();
      return current;
    }
    current = open();
    return current;
  };
}
