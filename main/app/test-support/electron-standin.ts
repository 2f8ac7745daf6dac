/**
 * A stand-in for the `electron` module, for main.test.ts: the Electron runtime cannot run here
 * (its binary is downloaded from outside the npm registry), so main/app runs against this,
 * which does nothing an Electron app could see but records everything main asks of it: every
 * BrowserWindow's options and the URL it loads, each webContents' window-open and navigation
 * handlers, the privileged schemes and when they were registered, each session's protocol and
 * permission handlers, the IPC handlers, safeStorage's use. It keeps Electron's own rules where
 * breaking them is a bug Electron would report: schemes registered only before ready, one
 * handler per IPC channel, safeStorage unavailable before ready.
 *
 * electron-hook.mjs makes `import ... from 'electron'` load this file. The record is kept on
 * globalThis so that the test reads the same one whichever URL the loader gave this module.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';

type Handler = (...args: unknown[]) => unknown;

export class StandInFrame {
  constructor(
    public url: string,
    readonly parent: StandInFrame | null = null,
  ) {}
  get origin(): string {
    return new URL(this.url).origin;
  }
}

let nextContentsId = 1;

export class StandInWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame = new StandInFrame('about:blank');
  windowOpenHandler: Handler | null = null;
  readonly loaded: string[] = [];
  readonly sent: { channel: string; args: unknown[] }[] = [];
  destroyed = false;

  constructor(readonly session: StandInSession) {
    super();
  }
  setWindowOpenHandler(handler: Handler): void {
    this.windowOpenHandler = handler;
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    this.mainFrame.url = url;
    return Promise.resolve();
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  postMessage(channel: string, message: unknown): void {
    this.sent.push({ channel, args: [message] });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class StandInBrowserWindow extends EventEmitter {
  readonly webContents: StandInWebContents;
  /** loadFile is never to be used (pages come from app://): recorded to be asserted on. */
  readonly loadedFiles: string[] = [];
  destroyed = false;
  minimized = false;

  constructor(readonly options: Record<string, unknown> = {}) {
    super();
    const prefs = (options.webPreferences ?? {}) as { partition?: string };
    const ses =
      prefs.partition === undefined
        ? session.defaultSession
        : session.fromPartition(prefs.partition);
    this.webContents = new StandInWebContents(ses);
    record.windows.push(this);
    app.emit('web-contents-created', { preventDefault() {} }, this.webContents);
  }
  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
  loadFile(file: string): Promise<void> {
    this.loadedFiles.push(file);
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.webContents.emit('destroyed');
    this.emit('closed');
  }
  close(): void {
    this.destroy();
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {}
  focus(): void {}
  maximize(): void {}
  setFullScreen(): void {}
}

export class StandInSession {
  readonly protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  permissionRequestHandler: Handler | null = null;
  permissionCheckHandler: Handler | null = null;
  readonly protocol = {
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
      if (this.protocolHandlers.has(scheme)) throw new Error(`${scheme} is already handled`);
      this.protocolHandlers.set(scheme, handler);
    },
    isProtocolHandled: (scheme: string) => this.protocolHandlers.has(scheme),
    unhandle: (scheme: string) => this.protocolHandlers.delete(scheme),
  };
  constructor(readonly partition: string) {}
  setPermissionRequestHandler(handler: Handler | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Handler | null): void {
    this.permissionCheckHandler = handler;
  }
  /** What the request handler answers (Electron calls it with a callback). */
  request(contents: StandInWebContents, permission: string, details: object): Promise<boolean> {
    const handler = this.permissionRequestHandler;
    if (handler === null) return Promise.resolve(true); // Electron's default: granted
    return new Promise((resolve) => handler(contents, permission, resolve, details));
  }
  check(contents: StandInWebContents, permission: string, origin: string, details: object) {
    const handler = this.permissionCheckHandler;
    if (handler === null) return true; // Electron's default: Chromium decides, often yes
    return handler(contents, permission, origin, details) as boolean;
  }
}

/** The OS keystore behind safeStorage: AES-256-GCM with a key that never leaves this process. */
const keystoreKey = randomBytes(32);

const record = {
  /** In call order, with whether the app was ready then. */
  calls: [] as { what: string; ready: boolean }[],
  privilegedSchemes: [] as { scheme: string; privileges?: Record<string, unknown> }[],
  windows: [] as StandInBrowserWindow[],
  sessions: new Map<string, StandInSession>(),
  ipcHandlers: new Map<string, Handler>(),
  ready: false,
  keystore: { available: true, backend: 'gnome_libsecret' as string },
  userData: '',
  exitCode: null as number | null,
  quitRequested: false,
};
export type StandInRecord = typeof record;

const KEY = Symbol.for('facepay-pos.electron-standin');
(globalThis as Record<symbol, unknown>)[KEY] = record;

/** The record main/app's calls went into (the same object from any import of this module). */
export function standInRecord(): StandInRecord {
  return (globalThis as Record<symbol, unknown>)[KEY] as StandInRecord;
}

function called(what: string): void {
  record.calls.push({ what, ready: record.ready });
}

let becomeReady: () => void = () => undefined;
const readyPromise = new Promise<void>((resolve) => {
  becomeReady = resolve;
});
let exited: (code: number) => void = () => undefined;
const exitPromise = new Promise<number>((resolve) => {
  exited = resolve;
});

class StandInApp extends EventEmitter {
  isPackaged = false;
  requestSingleInstanceLock(): boolean {
    called('app.requestSingleInstanceLock');
    return true;
  }
  quit(): void {
    called('app.quit');
    record.quitRequested = true;
  }
  exit(code = 0): void {
    called('app.exit');
    record.exitCode = code;
    exited(code);
  }
  whenReady(): Promise<void> {
    return readyPromise;
  }
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`the stand-in knows only userData, not ${name}`);
    return record.userData;
  }
  /** For the test: Electron's 'ready'. */
  becomeReady(): void {
    record.ready = true;
    becomeReady();
  }
  /** For the test: settles when main calls app.exit. */
  exited(): Promise<number> {
    return exitPromise;
  }
}

export const app = new StandInApp();

export const protocol = {
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Record<string, unknown> }[]) {
    called('protocol.registerSchemesAsPrivileged');
    // Electron: "can only be used before the ready event of the app module gets emitted".
    if (record.ready) throw new Error('registerSchemesAsPrivileged after ready');
    record.privilegedSchemes.push(...schemes);
  },
};

function sessionFor(partition: string): StandInSession {
  let found = record.sessions.get(partition);
  if (found === undefined) {
    found = new StandInSession(partition);
    record.sessions.set(partition, found);
  }
  return found;
}

export const session = {
  get defaultSession(): StandInSession {
    return sessionFor('');
  },
  fromPartition(partition: string): StandInSession {
    return sessionFor(partition);
  },
};

export const ipcMain = {
  handle(channel: string, handler: Handler): void {
    called(`ipcMain.handle ${channel}`);
    // Electron throws on a second handler for one channel.
    if (record.ipcHandlers.has(channel)) throw new Error(`a handler for ${channel} exists`);
    record.ipcHandlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    record.ipcHandlers.delete(channel);
  },
};

export const safeStorage = {
  isEncryptionAvailable(): boolean {
    called('safeStorage.isEncryptionAvailable');
    return record.ready && record.keystore.available;
  },
  getSelectedStorageBackend(): string {
    return record.ready ? record.keystore.backend : 'unknown';
  },
  encryptString(plain: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keystoreKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  },
  decryptString(sealed: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', keystoreKey, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
  },
};

const display = {
  id: 1,
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 0, width: 1920, height: 1040 },
};

export const screen = {
  getPrimaryDisplay: () => display,
  getAllDisplays: () => [display],
};

class StandInPort extends EventEmitter {
  readonly posted: unknown[] = [];
  start(): void {}
  close(): void {}
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
}

export class MessageChannelMain {
  readonly port1 = new StandInPort();
  readonly port2 = new StandInPort();
}

export const BrowserWindow = StandInBrowserWindow;
