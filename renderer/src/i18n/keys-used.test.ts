/**
 * Every key the screens pass to t() as a literal exists in both languages, plural keys by their
 * _one/_other forms (a missing key would show the key itself to a cashier).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { en } from './en';
import { zhCN } from './zh-CN';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

function has(tree: unknown, key: string): boolean {
  let node: unknown = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string';
}

describe('translation keys used by the screens', () => {
  const root = join(import.meta.dirname, '..');
  const used = new Set<string>();
  for (const file of sources(root)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z][\w.]*)'/g))
      used.add(m[1] ?? '');
  }

  it('finds the keys (the scan works)', () => {
    assert.ok(used.size > 150, `only ${used.size} keys found`);
    assert.ok(used.has('payment.confirm'));
  });

  for (const [name, tree] of [
    ['en', en],
    ['zh-CN', zhCN],
  ] as const) {
    it(`${name} has every key`, () => {
      const missing = [...used].filter(
        (key) => !has(tree, key) && !(has(tree, `${key}_one`) && has(tree, `${key}_other`)),
      );
      assert.deepEqual(missing, []);
    });
  }
});
