import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  hostAllowed,
  hostsFor,
  identifyLocal,
  keyFromProtocols,
  loopbackHosts,
  newLaunchSecrets,
  originAllowed,
  wsProtocolsFor,
} from './access';

test('only the loopback names with this port are served on the loopback listener', () => {
  const hosts = loopbackHosts(5180);
  for (const h of ['127.0.0.1:5180', 'localhost:5180', 'LOCALHOST:5180', '[::1]:5180'])
    assert.equal(hostAllowed(h, hosts), true, h);
  for (const h of ['evil.example:5180', '127.0.0.1:5181', '127.0.0.1', '0.0.0.0:5180', undefined])
    assert.equal(hostAllowed(h, hosts), false, String(h));
});

test('LAN names become host:port, IPv6 addresses in brackets', () => {
  assert.deepEqual(
    [...hostsFor(['192.168.1.5', 'Till.local', 'fd00::5'], 5181)],
    ['192.168.1.5:5181', 'till.local:5181', '[fd00::5]:5181'],
  );
});

test("an Origin must be exactly one of this host's own origins", () => {
  const hosts = loopbackHosts(5180);
  assert.equal(originAllowed(undefined, 'http', hosts), true, 'a program without Origin');
  assert.equal(originAllowed('http://127.0.0.1:5180', 'http', hosts), true);
  assert.equal(originAllowed('http://localhost:5180', 'http', hosts), true);
  // A rebound page's Origin equals its own Host: still not ours.
  assert.equal(originAllowed('http://evil.example:5180', 'http', hosts), false);
  assert.equal(originAllowed('https://127.0.0.1:5180', 'http', hosts), false, 'wrong scheme');
  assert.equal(originAllowed('http://127.0.0.1:9999', 'http', hosts), false);
  assert.equal(originAllowed('http://127.0.0.1:5180/x', 'http', hosts), false);
  assert.equal(originAllowed('null', 'http', hosts), false);
  assert.equal(originAllowed('http://127.0.0.1', 'http', loopbackHosts(80)), true);
});

test('a key travels as a subprotocol and is found again; other protocols are not keys', () => {
  assert.equal(keyFromProtocols(wsProtocolsFor('abc_DEF-1').join(', ')), 'abc_DEF-1');
  assert.equal(keyFromProtocols('pos.v1'), undefined);
  assert.equal(keyFromProtocols('pos-key.'), undefined);
  assert.equal(keyFromProtocols(undefined), undefined);
});

test('launch secrets: fresh each start, and only they make staff or the local display', () => {
  const secrets = newLaunchSecrets();
  const again = newLaunchSecrets();
  assert.notEqual(secrets.staff, again.staff);
  assert.notEqual(secrets.staff, secrets.display);
  assert.ok(Buffer.from(secrets.staff, 'base64url').length >= 32);
  assert.deepEqual(identifyLocal(secrets.staff, secrets), { kind: 'staff' });
  assert.deepEqual(identifyLocal(secrets.display, secrets), { kind: 'customer', display: 'local' });
  assert.equal(identifyLocal(again.staff, secrets), null, "another launch's secret");
  assert.equal(identifyLocal(secrets.staff.slice(1), secrets), null);
  assert.equal(identifyLocal(undefined, secrets), null);
});
