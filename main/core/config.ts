/**
 * Where the terminal keeps its data and how it presents itself. Read from the command line and
 * the environment; defaults suit a single-terminal shop in mainland China.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { POLE_PROTOCOLS, type PoleProtocol } from '../contract/pole-display';

export const APP_NAME = 'facepay-pos';

export interface PosConfig {
  dataDir: string;
  shopName: string;
  terminalId: string;
  timezone: string;
  defaultLocale: 'zh-CN' | 'en';
  /**
   * The receipt printer as a device file (/dev/usb/lp0) or any file the bytes are appended to;
   * unset: the first receipt printer found on USB.
   */
  printerFile?: string | null;
  /** Receipt paper: 48 columns (80 mm, the default) or 32 (58 mm). */
  paperColumns?: 32 | 48;
  /** The drawer-kick pin the cash drawer is wired to: 2 (the default) or 5. */
  drawerPin?: 2 | 5;
  /**
   * The register's pole display (客显) stream this terminal reads in its place
   * (--pole-display PATH --pole-protocol cd5220|epson [--pole-baud N]); null: none.
   */
  poleDisplay?: PoleDisplayConfig | null;
}

/** The rates pole displays are set to; 8 data bits, no parity, 1 stop bit always. */
export const POLE_BAUD_CHOICES = [
  '1200',
  '2400',
  '4800',
  '9600',
  '19200',
  '38400',
  '57600',
  '115200',
] as const;

export interface PoleDisplayConfig {
  /** The serial port the register's display cable now goes to: /dev/ttyUSB0, COM3. */
  path: string;
  protocol: PoleProtocol;
  baudRate: number;
}

/**
 * The per-OS application-data directory, the same one Electron's app.getPath('userData')
 * gives, so the Electron shell and the browser host share a ledger.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

/** `--name value` or `--name=value` from argv. */
export function argValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === `--${name}`) return argv[i + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

/** A value from a short list, or an error that names the option and the choices. */
function choice<T extends string>(value: string | undefined, name: string, choices: readonly T[]) {
  if (value === undefined) return undefined;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new Error(`--${name} must be one of ${choices.join(', ')}, got "${value}"`);
}

export function loadConfig(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): PosConfig {
  const locale = argValue(argv, 'locale') ?? env.POS_LOCALE;
  const paper = choice(argValue(argv, 'paper') ?? env.POS_PAPER, 'paper', ['58', '80']);
  const pin = choice(argValue(argv, 'drawer-pin') ?? env.POS_DRAWER_PIN, 'drawer-pin', ['2', '5']);
  return {
    poleDisplay: poleDisplayConfig(argv, env),
    dataDir: argValue(argv, 'data-dir') ?? env.POS_DATA_DIR ?? defaultDataDir(),
    shopName: env.POS_SHOP_NAME ?? '示范便利店 Demo Mart',
    terminalId: env.POS_TERMINAL_ID ?? 'T01',
    timezone: env.POS_TIMEZONE ?? 'Asia/Shanghai',
    defaultLocale: locale === 'en' ? 'en' : 'zh-CN',
    printerFile: argValue(argv, 'printer-file') ?? env.POS_PRINTER_FILE ?? null,
    paperColumns: paper === '58' ? 32 : 48,
    drawerPin: pin === '5' ? 5 : 2,
  };
}

function poleDisplayConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): PoleDisplayConfig | null {
  const path = argValue(argv, 'pole-display') ?? env.POS_POLE_DISPLAY;
  const protocol = choice(
    argValue(argv, 'pole-protocol') ?? env.POS_POLE_PROTOCOL,
    'pole-protocol',
    POLE_PROTOCOLS,
  );
  const baud = choice(
    argValue(argv, 'pole-baud') ?? env.POS_POLE_BAUD,
    'pole-baud',
    POLE_BAUD_CHOICES,
  );
  if (path === undefined || path === '') {
    if (protocol !== undefined || baud !== undefined)
      throw new Error('--pole-protocol and --pole-baud need --pole-display PATH (the serial port)');
    return null;
  }
  // No default: the wrong command set would read the register's bytes as garbage, or worse.
  if (protocol === undefined)
    throw new Error(`--pole-display needs --pole-protocol ${POLE_PROTOCOLS.join('|')}`);
  return { path, protocol, baudRate: Number(baud ?? '9600') };
}
