/**
 * Electron entry: the only place that imports 'electron' (with windows.ts and ipc.ts beside
 * it). It builds the core, opens the windows and wires IPC; everything else lives in layers
 * that run under plain Node. The hardening: pages from app://pos/ (protocol.ts) with the CSP,
 * every permission refused but the capture window's camera (permissions.ts), no window opens
 * another or navigates, IPC only from our windows' main frames (ipc.ts), secrets sealed by
 * safeStorage (secrets.ts), one instance. main.test.ts runs this file against a stand-in for
 * the electron module and checks each of these.
 */
import { app, protocol, safeStorage, session } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argValue, consoleLogger, createPosCore, loadConfig, type PosCore } from '../core';
import { startCloudSync, type CloudSync } from '../host/cloud-sync';
import { startRegisterApi, type RegisterApi } from '../host/register/listener';
import { restrictUmask } from '../shared/private-files';
import { startCaptureWindow } from './capture';
import { registerIpc } from './ipc';
import { guardPermissions } from './permissions';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, appProtocolHandler } from './protocol';
import { terminalSecretStore } from './secrets';
import {
  confineContents,
  managerWindowOpener,
  openTerminalWindows,
  shellPaths,
  type ScreenWindow,
} from './windows';

// build/app/main.js -> build/
const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const paths = shellPaths(buildDir);

restrictUmask(); // every file this process writes is owner-only (main/shared/private-files.ts)

// Only before the app is ready: app:// as a standard, secure scheme (protocol.ts says why).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

// One terminal process per OS user: a second launch brings the first one's window forward.
if (!app.requestSingleInstanceLock()) app.quit();

let core: PosCore | null = null;
let cloud: CloudSync | null = null;
let registerApi: RegisterApi | null = null;
/** The cashier's and customer's windows, then the manager's once it has been opened. */
let windows: ScreenWindow[] = [];

// Every webContents, including any we did not make ourselves: no webviews, no new windows, no
// navigation away from its page.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  confineContents(contents);
});

void app.whenReady().then(() => {
  // The staff and customer screens' session: our pages on app://, and no permission at all
  // (the camera is the capture window's, in a session of its own: capture.ts).
  session.defaultSession.protocol.handle(APP_SCHEME, appProtocolHandler(paths.rendererDir));
  guardPermissions(session.defaultSession);

  const argv = process.argv.slice(app.isPackaged ? 1 : 2);
  const config = loadConfig(argv, process.env);
  if (!process.argv.some((a) => a.startsWith('--data-dir')) && !process.env.POS_DATA_DIR) {
    config.dataDir = app.getPath('userData');
  }
  const secrets = terminalSecretStore(config.dataDir, safeStorage, consoleLogger);
  core = createPosCore(config, consoleLogger, { secrets });
  const terminal = openTerminalWindows(paths);
  windows = [...terminal];
  registerIpc(core, () => windows.filter((w) => !w.window.isDestroyed()));
  // The cashier's screen asks for the manager's (screen.openManager): this shell opens it.
  const openManager = managerWindowOpener(paths, (opened) => {
    windows = [...windows.filter((w) => !w.window.isDestroyed()), opened];
  });
  core.attachShell({ openManager });
  // Face pay's camera: a hidden window of its own, frames to main over a MessagePort.
  startCaptureWindow(
    core,
    buildDir,
    terminal.map((w) => w.window),
    consoleLogger,
  );
  // The register API (main/host/register): this shell has no HTTP host, so a loopback listener
  // of its own, on the port the browser host would use (registers see one address either way).
  // A taken port costs the register API only, never the till.
  const registerPort = Number(argValue(argv, 'port') ?? process.env.POS_PORT ?? 5180);
  void startRegisterApi(core, consoleLogger, { port: registerPort })
    .then((api) => {
      registerApi = api;
      consoleLogger.info(`register API: ${api.url}/v1/register`);
    })
    .catch((error: unknown) =>
      consoleLogger.error('the register API did not start', {
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  // After the windows: the till sells offline until (and unless) the cloud is linked.
  cloud = startCloudSync({
    core,
    logger: consoleLogger,
    argv,
    onLinked: ({ url }) => consoleLogger.info(`cloud: ${url}`),
  });
});

app.on('second-instance', () => windows[0]?.window.focus());
app.on('window-all-closed', () => app.quit());
let quitting = false;
app.on('will-quit', (event) => {
  if (quitting) return;
  quitting = true;
  // Let the sync worker record what the cloud acknowledged, the local cloud shut down and the
  // face engine stop (a process that exits inside ONNX Runtime's start-up aborts), then quit.
  event.preventDefault();
  const linked = cloud;
  cloud = null;
  const registers = registerApi;
  registerApi = null;
  void (registers?.close() ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => linked?.stop())
    .catch(() => undefined)
    .then(() => core?.shutdown())
    .catch(() => undefined)
    .finally(() => app.exit(0));
});
