import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERROR_CODES, PAYMENT_METHODS } from '../contract';
import { en } from './en';
import { zhCN } from './zh-CN';

function leaves(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof child === 'string') out.set(path, child);
    else for (const [k, v] of leaves(child, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? '').sort();

describe('translations', () => {
  const zh = leaves(zhCN);
  const english = leaves(en);

  it('zh-CN and English have the same keys, none empty', () => {
    assert.deepEqual([...zh.keys()].sort(), [...english.keys()].sort());
    for (const [key, text] of [...zh, ...english]) assert.notEqual(text.trim(), '', key);
  });

  it('use the same placeholders in both languages', () => {
    for (const [key, text] of english) {
      assert.deepEqual(placeholders(zh.get(key) ?? ''), placeholders(text), key);
    }
  });

  it('translate every PosError code and payment method', () => {
    for (const code of ERROR_CODES) {
      assert.ok(english.has(`errors.code.${code}`), code);
      assert.ok(zh.has(`errors.code.${code}`), code);
    }
    for (const method of PAYMENT_METHODS) assert.ok(english.has(`methods.${method}`), method);
  });
});
