/**
 * The register's side of a callback: a genuine one passes once; a forged, tampered, stale or
 * replayed one is refused with a reason.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReplayGuard, signCallback, verifyCallback } from './verify-callback';

const SECRET = 'cbs_test_secret_0123456789';
const NOW = 1_800_000_000;
const body = JSON.stringify({ eventId: 'evt_1', type: 'order.paid', orderNo: 'A-1' });

test('a genuine callback verifies and yields its event id and body', () => {
  const verdict = verifyCallback(SECRET, signCallback(SECRET, NOW, body), body, { nowSec: NOW });
  assert.equal(verdict.ok, true);
  assert.ok(verdict.ok);
  assert.equal(verdict.eventId, 'evt_1');
  assert.deepEqual(verdict.body, JSON.parse(body));
});

test('a Buffer body verifies the same as its string', () => {
  const header = signCallback(SECRET, NOW, body);
  assert.equal(verifyCallback(SECRET, header, Buffer.from(body), { nowSec: NOW }).ok, true);
});

test('forged: signed with another secret', () => {
  const verdict = verifyCallback(SECRET, signCallback('other', NOW, body), body, { nowSec: NOW });
  assert.deepEqual(verdict, { ok: false, reason: 'signature does not match' });
});

test('tampered: the body changed after signing (an amount raised)', () => {
  const header = signCallback(SECRET, NOW, body);
  const tampered = body.replace('A-1', 'A-2');
  assert.deepEqual(verifyCallback(SECRET, header, tampered, { nowSec: NOW }), {
    ok: false,
    reason: 'signature does not match',
  });
});

test('tampered: the timestamp moved forward to dodge the window (it is signed too)', () => {
  const header = signCallback(SECRET, NOW - 3600, body).replace(`t=${NOW - 3600}`, `t=${NOW}`);
  assert.equal(verifyCallback(SECRET, header, body, { nowSec: NOW }).ok, false);
});

test('stale: a captured callback replayed after the tolerance', () => {
  const header = signCallback(SECRET, NOW - 301, body);
  const verdict = verifyCallback(SECRET, header, body, { nowSec: NOW });
  assert.equal(verdict.ok, false);
  assert.match(!verdict.ok ? verdict.reason : '', /tolerance/);
  assert.equal(verifyCallback(SECRET, header, body, { nowSec: NOW, toleranceSec: 600 }).ok, true);
});

test('duplicate: the same event id within the window is accepted once', () => {
  const guard = new ReplayGuard();
  const header = signCallback(SECRET, NOW, body);
  assert.equal(verifyCallback(SECRET, header, body, { nowSec: NOW, replayGuard: guard }).ok, true);
  const again = verifyCallback(SECRET, signCallback(SECRET, NOW + 5, body), body, {
    nowSec: NOW + 5,
    replayGuard: guard,
  });
  assert.deepEqual(again, { ok: false, reason: 'duplicate event evt_1' });
  const other = JSON.stringify({ eventId: 'evt_2', type: 'order.paid' });
  assert.equal(
    verifyCallback(SECRET, signCallback(SECRET, NOW, other), other, {
      nowSec: NOW,
      replayGuard: guard,
    }).ok,
    true,
  );
});

test('missing or malformed headers are refused, not thrown', () => {
  for (const header of [
    undefined,
    '',
    'garbage',
    't=abc,v1=00',
    `t=${NOW}`,
    `v1=${'a'.repeat(64)}`,
  ])
    assert.equal(verifyCallback(SECRET, header, body, { nowSec: NOW }).ok, false, String(header));
  assert.equal(verifyCallback('', signCallback('', NOW, body), body, { nowSec: NOW }).ok, false);
});

test('a second v1 signature (secret rotation) is accepted when either matches', () => {
  const good = signCallback(SECRET, NOW, body).split(',v1=')[1];
  const header = `t=${NOW},v1=${'0'.repeat(64)},v1=${good}`;
  assert.equal(verifyCallback(SECRET, header, body, { nowSec: NOW }).ok, true);
});
