/**
 * The terminal's windows: the cashier on the primary display and the customer display on the
 * second display when there is one (else a second window). Every window is sandboxed, with
 * context isolation, no Node integration, and no way to navigate away or open new windows; its
 * page comes from app://pos/ (protocol.ts), never from file://.
 */
import { BrowserWindow, screen, type Rectangle, type WebContents } from 'electron';
import { join } from 'node:path';
import type { Screen } from '../contract';
import { screenUrl } from './protocol';
import { singleWindow } from './single-window';

/** A window main opened, and which screen it loaded into it (which decides what it may do). */
export interface ScreenWindow {
  window: BrowserWindow;
  screen: Screen;
}

export interface ShellPaths {
  preload: string;
  /** The built renderer, served as app://pos/. */
  rendererDir: string;
}

/** No window of ours opens another or leaves its page (a link, a drop, a script). */
export function confineContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
}

function secureWindow(paths: ShellPaths, bounds: Partial<Rectangle>, title: string): BrowserWindow {
  const window = new BrowserWindow({
    ...bounds,
    title,
    show: false,
    backgroundColor: '#ffffff',
    // The secure values spelled out, Electron's defaults included, here in the literal where
    // Electronegativity (npm test) can read them; main.test.ts asserts them for every window.
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // A middle click would ask for a new window (refused anyway by setWindowOpenHandler).
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
  confineContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  return window;
}

function load(window: BrowserWindow, which: Screen): void {
  void window.loadURL(screenUrl(which));
}

export function openTerminalWindows(paths: ShellPaths): ScreenWindow[] {
  const primary = screen.getPrimaryDisplay();
  const secondary = screen.getAllDisplays().find((d) => d.id !== primary.id);

  const cashier = secureWindow(paths, primary.workArea, 'POS');
  cashier.maximize();
  load(cashier, 'cashier');

  const customerBounds = secondary
    ? secondary.bounds
    : { x: primary.workArea.x + 40, y: primary.workArea.y + 40, width: 800, height: 600 };
  const customer = secureWindow(paths, customerBounds, 'Customer display');
  if (secondary) customer.setFullScreen(true);
  load(customer, 'customer');

  return [
    { window: cashier, screen: 'cashier' },
    { window: customer, screen: 'customer' },
  ];
}

export function openManagerWindow(paths: ShellPaths): ScreenWindow {
  const window = secureWindow(paths, { width: 1100, height: 800 }, 'Manager');
  load(window, 'manager');
  return { window, screen: 'manager' };
}

/**
 * The manager's window, one at a time: opened on the first request (screen.openManager, from
 * the cashier's screen), brought to the front on the next ones while it is open.
 */
export function managerWindowOpener(
  paths: ShellPaths,
  onOpened: (opened: ScreenWindow) => void,
): () => void {
  const bringUp = singleWindow(() => {
    const opened = openManagerWindow(paths);
    onOpened(opened);
    return opened.window;
  });
  return () => {
    bringUp();
  };
}

export function shellPaths(buildDir: string): ShellPaths {
  return {
    preload: join(buildDir, 'preload/index.cjs'),
    rendererDir: join(buildDir, 'renderer'),
  };
}
