/**
 * Electron entry: the only place that imports 'electron' (with windows.ts and ipc.ts beside
 * it). It builds the core, opens the windows and wires IPC; everything else lives in layers
 * that run under plain Node.
 */
import { app, session } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleLogger, createPosCore, loadConfig, type PosCore } from '../core';
import { startCloudSync, type CloudSync } from '../host/cloud-sync';
import { restrictUmask } from '../shared/private-files';
import { startCaptureWindow } from './capture';
import { registerIpc } from './ipc';
import { managerWindowOpener, openTerminalWindows, shellPaths, type ScreenWindow } from './windows';

// build/app/main.js -> build/
const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const paths = shellPaths(buildDir);

restrictUmask(); // every file this process writes is owner-only (main/shared/private-files.ts)
if (!app.requestSingleInstanceLock()) app.quit();

let core: PosCore | null = null;
let cloud: CloudSync | null = null;
/** The cashier's and customer's windows, then the manager's once it has been opened. */
let windows: ScreenWindow[] = [];

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void app.whenReady().then(() => {
  // Deny every permission (camera access will be granted to the capture window only).
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  );

  const argv = process.argv.slice(app.isPackaged ? 1 : 2);
  const config = loadConfig(argv, process.env);
  if (!process.argv.some((a) => a.startsWith('--data-dir')) && !process.env.POS_DATA_DIR) {
    config.dataDir = app.getPath('userData');
  }
  core = createPosCore(config, consoleLogger);
  const terminal = openTerminalWindows(paths);
  windows = [...terminal];
  registerIpc(core, () => windows.filter((w) => !w.window.isDestroyed()), paths.rendererIndex);
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
  void (linked?.stop() ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => core?.shutdown())
    .catch(() => undefined)
    .finally(() => app.exit(0));
});
