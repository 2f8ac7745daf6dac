import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pickScreen } from './screen';

describe('pickScreen', () => {
  it('uses ?screen= when present (Electron)', () => {
    assert.equal(pickScreen({ search: '?screen=customer', pathname: '/x/index.html' }), 'customer');
    assert.equal(pickScreen({ search: '?screen=manager', pathname: '/' }), 'manager');
    assert.equal(pickScreen({ search: '?screen=cashier', pathname: '/customer' }), 'cashier');
  });

  it('falls back to the path (browser host)', () => {
    assert.equal(pickScreen({ search: '', pathname: '/' }), 'cashier');
    assert.equal(pickScreen({ search: '', pathname: '/customer' }), 'customer');
    assert.equal(pickScreen({ search: '?token=abc', pathname: '/customer' }), 'customer');
    assert.equal(pickScreen({ search: '', pathname: '/manager/' }), 'manager');
  });

  it('ignores an unknown ?screen= and unknown paths', () => {
    assert.equal(pickScreen({ search: '?screen=admin', pathname: '/manager' }), 'manager');
    assert.equal(pickScreen({ search: '', pathname: '/whatever' }), 'cashier');
    assert.equal(
      pickScreen({ search: '', pathname: '/opt/pos/build/renderer/index.html' }),
      'cashier',
    );
  });
});
