/**
 * The Electron shell's security settings, checked by running main/app/main.ts itself against a
 * stand-in for the electron module (test-support/electron-standin.ts; the runtime cannot run
 * here). The core behind it is the real one, on a real SQLite file in a temporary directory.
 * What each window, session, protocol and IPC handler main registered would do is asked of the
 * handlers main gave: the attacks (an unknown frame's IPC, an iframe's, a foreign page's, a
 * path out of the renderer directory, a permission from the wrong window) are refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { IPC_INVOKE } from '../contract';
import {
  app,
  session,
  StandInFrame,
  standInRecord,
  StandInWebContents,
  type StandInBrowserWindow,
  type StandInSession,
} from './test-support/electron-standin';

register('./test-support/electron-hook.mjs', import.meta.url);

const record = standInRecord();
const dataDir = mkdtempSync(join(tmpdir(), 'pos-electron-'));

before(async () => {
  record.userData = dataDir;
  delete process.env.POS_DATA_DIR;
  // A cloud that does not answer: the till sells offline, nothing is started beside it.
  process.env.POS_CLOUD_URL = 'http://127.0.0.1:9';
  delete process.env.POS_CLOUD_PAIRING_CODE;
  await import('./main');
});

after(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

function windowLoading(prefix: string): StandInBrowserWindow {
  const found = record.windows.find((w) => w.webContents.loaded.some((u) => u.startsWith(prefix)));
  assert.ok(found, `a window loading ${prefix}`);
  return found;
}

async function ready(): Promise<void> {
  if (!record.ready) {
    app.becomeReady();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

type Invoke = (event: unknown, channel: unknown, payload: unknown) => Promise<unknown> | unknown;

function invokeFrom(
  contents: StandInWebContents | { id: number; mainFrame: StandInFrame },
  frame: StandInFrame | null,
  channel: string,
  payload: unknown = {},
): Promise<{ ok: boolean; error?: { code: string } }> {
  const handler = record.ipcHandlers.get(IPC_INVOKE) as Invoke | undefined;
  assert.ok(handler, 'main handles the contract channel');
  return Promise.resolve(
    handler({ sender: contents, senderFrame: frame }, channel, payload),
  ) as Promise<{ ok: boolean; error?: { code: string } }>;
}

test('before ready: app:// is registered as a standard secure scheme, one instance only', () => {
  assert.equal(record.ready, false);
  assert.deepEqual(
    record.privilegedSchemes.map((s) => s.scheme),
    ['app'],
  );
  const privileges = record.privilegedSchemes[0]!.privileges ?? {};
  assert.equal(privileges.standard, true);
  assert.equal(privileges.secure, true);
  for (const loosening of ['bypassCSP', 'corsEnabled', 'allowServiceWorkers', 'supportFetchAPI'])
    assert.notEqual(privileges[loosening], true, `${loosening} stays off`);
  assert.ok(record.calls.some((c) => c.what === 'app.requestSingleInstanceLock' && !c.ready));
  assert.equal(record.windows.length, 0, 'no window before ready');
  assert.ok(!record.calls.some((c) => c.what.startsWith('safeStorage')), 'safeStorage after ready');
});

test('every window is sandboxed and isolated, loads app://, and cannot open or navigate', async () => {
  await ready();
  // The cashier's, the customer's and the hidden capture window.
  assert.equal(record.windows.length, 3);
  const cashier = windowLoading('app://pos/index.html?screen=cashier');
  const customer = windowLoading('app://pos/index.html?screen=customer');
  const capture = windowLoading('app://pos/capture.html');
  // The manager's window, opened the way the cashier's screen asks for it.
  const opened = await invokeFrom(
    cashier.webContents,
    cashier.webContents.mainFrame,
    'screen.openManager',
  );
  assert.equal(opened.ok, true, JSON.stringify(opened));
  const manager = windowLoading('app://pos/index.html?screen=manager');

  // And any webContents Electron makes that main did not (a devtools host, a future window).
  const stranger = new StandInWebContents(session.defaultSession);
  app.emit('web-contents-created', { preventDefault() {} }, stranger);

  for (const window of [cashier, customer, capture, manager]) {
    const prefs = window.options.webPreferences as Record<string, unknown>;
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInSubFrames, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.experimentalFeatures, false);
    assert.equal(prefs.webviewTag, false);
    assert.match(String(prefs.preload), /preload[\\/](index|capture)\.cjs$/);
    assert.deepEqual(window.loadedFiles, [], 'nothing from file://');
    for (const url of window.webContents.loaded) assert.match(url, /^app:\/\/pos\//);
  }
  for (const contents of [cashier, customer, capture, manager]
    .map((w) => w.webContents)
    .concat(stranger)) {
    assert.deepEqual(contents.windowOpenHandler?.({ url: 'https://evil.example/' }), {
      action: 'deny',
    });
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = 0;
      contents.emit(event, { preventDefault: () => (prevented += 1) }, 'https://evil.example/');
      assert.ok(prevented > 0, `${event} is refused`);
    }
  }
});

test('app:// serves the renderer with the CSP; escapes, dotfiles and unknown paths are 404', async () => {
  await ready();
  const handler = record.sessions.get('')?.protocolHandlers.get('app');
  assert.ok(handler, 'the default session serves app://');
  for (const url of [
    'app://pos/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    'app://pos/..%2f..%2f..%2fetc%2fpasswd',
    'app://pos/assets/..%5c..%5cpackage.json',
    'app://pos/.stamp',
    'app://pos/no-such-file.js',
    'app://elsewhere/index.html',
  ]) {
    const response = await handler(new Request(url));
    assert.equal(response.status, 404, url);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  }
  assert.equal(
    (await handler(new Request('app://pos/index.html', { method: 'POST' }))).status,
    405,
  );

  // The capture window's session serves its empty page and nothing of the renderer.
  const captureHandler = record.sessions.get('capture')?.protocolHandlers.get('app');
  assert.ok(captureHandler);
  const page = await captureHandler(new Request('app://pos/capture.html'));
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy') ?? '', /object-src 'none'/);
  assert.equal((await captureHandler(new Request('app://pos/index.html'))).status, 404);
});

test("permissions: the camera only for the capture window's own page, nothing else for anyone", async () => {
  await ready();
  const main = record.sessions.get('') as StandInSession;
  const captureSession = record.sessions.get('capture') as StandInSession;
  assert.ok(main.permissionRequestHandler && main.permissionCheckHandler, 'both handlers set');
  assert.ok(captureSession.permissionRequestHandler && captureSession.permissionCheckHandler);
  const cashier = windowLoading('app://pos/index.html?screen=cashier').webContents;
  const capture = windowLoading('app://pos/capture.html').webContents;
  const video = (url: string, isMainFrame = true) => ({
    requestingUrl: url,
    isMainFrame,
    mediaTypes: ['video'],
  });

  // The capture window's own page gets the camera (the one thing granted).
  assert.equal(
    await captureSession.request(capture, 'media', video('app://pos/capture.html')),
    true,
  );
  assert.equal(
    captureSession.check(capture, 'media', 'app://pos', {
      requestingUrl: 'app://pos/capture.html',
      isMainFrame: true,
      mediaType: 'video',
    }),
    true,
  );
  // Refused: the microphone; an iframe; another origin; another window; other permissions.
  const audio = { ...video('app://pos/capture.html'), mediaTypes: ['video', 'audio'] };
  assert.equal(await captureSession.request(capture, 'media', audio), false);
  assert.equal(
    await captureSession.request(capture, 'media', video('app://pos/capture.html', false)),
    false,
  );
  assert.equal(
    await captureSession.request(capture, 'media', video('https://evil.example/')),
    false,
  );
  assert.equal(
    await captureSession.request(cashier, 'media', video('app://pos/capture.html')),
    false,
  );
  for (const permission of [
    'geolocation',
    'notifications',
    'hid',
    'serial',
    'usb',
    'clipboard-read',
  ]) {
    assert.equal(
      await captureSession.request(capture, permission, video('app://pos/capture.html')),
      false,
    );
    assert.equal(
      captureSession.check(capture, permission, 'app://pos', { isMainFrame: true }),
      false,
      permission,
    );
  }
  // The screens' session grants nothing, the camera included.
  assert.equal(await main.request(cashier, 'media', video('app://pos/index.html')), false);
  assert.equal(
    main.check(cashier, 'media', 'app://pos', { isMainFrame: true, mediaType: 'video' }),
    false,
  );
  for (const permission of ['notifications', 'usb', 'serial', 'hid', 'openExternal'])
    assert.equal(main.check(cashier, permission, 'app://pos', { isMainFrame: true }), false);
});

test('IPC from an unknown frame, an iframe, a foreign page or the capture window is refused', async () => {
  await ready();
  assert.deepEqual([...record.ipcHandlers.keys()], [IPC_INVOKE], 'one IPC handler, the contract');
  const cashier = windowLoading('app://pos/index.html?screen=cashier').webContents;
  const capture = windowLoading('app://pos/capture.html').webContents;
  const ours = 'app://pos/index.html?screen=cashier';

  // Our window's main frame is heard.
  const heard = await invokeFrom(cashier, cashier.mainFrame, 'system.info');
  assert.equal(heard.ok, true, JSON.stringify(heard));

  const refused = [
    // A webContents main did not open, claiming our page.
    invokeFrom(
      { id: 9_999, mainFrame: new StandInFrame(ours) },
      new StandInFrame(ours),
      'system.info',
    ),
    // An iframe inside our window, even one showing our page.
    invokeFrom(cashier, new StandInFrame(ours, cashier.mainFrame), 'system.info'),
    // A frame that is gone.
    invokeFrom(cashier, null, 'system.info'),
    // The hidden capture window (its page asks for nothing over IPC).
    invokeFrom(capture, capture.mainFrame, 'system.info'),
  ];
  for (const answer of await Promise.all(refused)) {
    assert.equal(answer.ok, false);
    assert.equal(answer.error?.code, 'FORBIDDEN');
  }
  // Our window after its page became another (a navigation that got through, file:// of old).
  for (const url of [
    'https://evil.example/index.html',
    'file:///opt/pos/build/renderer/index.html',
  ]) {
    const before = cashier.mainFrame.url;
    cashier.mainFrame.url = url;
    const answer = await invokeFrom(cashier, cashier.mainFrame, 'system.info');
    cashier.mainFrame.url = before;
    assert.equal(answer.error?.code, 'FORBIDDEN', url);
  }
});

test("the camera's port goes to the capture window only while it shows its own page", async () => {
  await ready();
  const capture = windowLoading('app://pos/capture.html').webContents;
  const ports = () => capture.sent.filter((m) => m.channel === 'capture:port').length;
  capture.mainFrame.url = 'https://evil.example/';
  capture.emit('did-finish-load');
  assert.equal(ports(), 0, 'a foreign page gets no port');
  capture.mainFrame.url = 'app://pos/capture.html';
  capture.emit('did-finish-load');
  assert.equal(ports(), 1);
});

test("the terminal's secrets are sealed by safeStorage, asked for once the app is ready", async () => {
  await ready();
  const asked = record.calls.filter((c) => c.what === 'safeStorage.isEncryptionAvailable');
  assert.ok(asked.length > 0 && asked.every((c) => c.ready));
  const dir = join(dataDir, 'secrets');
  // Whatever secrets the core made at start are sealed, none in clear (secrets.test.ts shows
  // the sealing itself, and the fallback without a keyring).
  for (const name of readdirSync(dir)) {
    assert.match(readFileSync(join(dir, name), 'utf8'), /^sealed:/, name);
  }
});

test('quitting stops the cloud link and the core, then exits', async () => {
  await ready();
  let prevented = false;
  app.emit('will-quit', { preventDefault: () => (prevented = true) });
  assert.equal(prevented, true, 'main holds the quit until the core has shut down');
  assert.equal(await app.exited(), 0);
});
