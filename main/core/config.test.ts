import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { argValue, defaultDataDir, loadConfig } from './config';

test('the data directory is the per-OS app-data directory Electron uses', () => {
  assert.equal(defaultDataDir('linux', {}), join(homedir(), '.config', 'facepay-pos'));
  assert.equal(defaultDataDir('linux', { XDG_CONFIG_HOME: '/x' }), join('/x', 'facepay-pos'));
  assert.equal(
    defaultDataDir('win32', { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }).endsWith('facepay-pos'),
    true,
  );
  assert.equal(
    defaultDataDir('darwin', {}),
    join(homedir(), 'Library', 'Application Support', 'facepay-pos'),
  );
});

test('--data-dir beats POS_DATA_DIR, which beats the default', () => {
  assert.equal(loadConfig(['--data-dir', '/a'], { POS_DATA_DIR: '/b' }).dataDir, '/a');
  assert.equal(loadConfig(['--data-dir=/c'], {}).dataDir, '/c');
  assert.equal(loadConfig([], { POS_DATA_DIR: '/b' }).dataDir, '/b');
  assert.equal(loadConfig([], {}).dataDir, defaultDataDir());
});

test('zh-CN is the default locale; --locale en switches it', () => {
  assert.equal(loadConfig([], {}).defaultLocale, 'zh-CN');
  assert.equal(loadConfig(['--locale', 'en'], {}).defaultLocale, 'en');
  assert.equal(argValue(['--port', '9'], 'port'), '9');
  assert.equal(argValue(['--portal', '9'], 'port'), undefined);
});
