/**
 * Where the terminal keeps its data and how it presents itself. Read from the command line and
 * the environment; defaults suit a single-terminal shop in mainland China.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'facepay-pos';

export interface PosConfig {
  dataDir: string;
  shopName: string;
  terminalId: string;
  timezone: string;
  defaultLocale: 'zh-CN' | 'en';
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

export function loadConfig(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): PosConfig {
  const locale = argValue(argv, 'locale') ?? env.POS_LOCALE;
  return {
    dataDir: argValue(argv, 'data-dir') ?? env.POS_DATA_DIR ?? defaultDataDir(),
    shopName: env.POS_SHOP_NAME ?? '示范便利店 Demo Mart',
    terminalId: env.POS_TERMINAL_ID ?? 'T01',
    timezone: env.POS_TIMEZONE ?? 'Asia/Shanghai',
    defaultLocale: locale === 'en' ? 'en' : 'zh-CN',
  };
}
