// Unit tests of the providers page's formatting (node --test; run by TestJavaScriptUnits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, percent, locationText, platforms, quotaRows } from '../src/providers.js';

test('bytes are written with binary units, as the catalogue writes quotas', () => {
  for (const [n, want] of [[0, '0 B'], [512, '512 B'], [1024, '1 KiB'], [1536, '1.5 KiB'], [2 * 2 ** 30, '2 GiB'],
    [2 ** 60, '1024 PiB'], [-1, ''], [undefined, ''], [Number.NaN, '']]) {
    assert.equal(formatBytes(n), want, `formatBytes(${n})`);
  }
});

test('availability is a percentage with at most one decimal', () => {
  assert.equal(percent(1), '100 %');
  assert.equal(percent(0.4), '40 %');
  assert.equal(percent(0.9876), '98.8 %');
  assert.equal(percent(undefined), '—');
});

test('region and location make one line, or a dash when unknown', () => {
  assert.equal(locationText({ region: 'eu-south', location: { country: 'IT', site: 'bologna' } }), 'eu-south · bologna, IT');
  assert.equal(locationText({ location: { country: 'DE' } }), 'DE');
  assert.equal(locationText({ region: 'r1', location: {} }), 'r1');
  assert.equal(locationText({ location: {} }), '—');
});

test('platforms are listed once each, in catalogue order', () => {
  assert.deepEqual(platforms({ services: [{ platform: 'kubernetes' }, { platform: 'sim' }, { platform: 'kubernetes' }] }), ['kubernetes', 'sim']);
  assert.deepEqual(platforms({ services: [] }), []);
  assert.deepEqual(platforms({}), []);
});

test('quotas show what the groups use against the limit', () => {
  const rows = quotaRows({ id: 'eu-beta', quotas: { instances: 4, ram: '8 GiB' }, inUse: { instances: 2, vcpus: 0, ram: 2 * 2 ** 30, storage: 0 } });
  assert.deepEqual(rows, [
    { label: 'Instances', used: '2', limit: '4' },
    { label: 'RAM', used: '2 GiB', limit: '8 GiB' },
  ]);
});

test('a quota in use but not limited says so; no usage reported leaves used empty', () => {
  assert.deepEqual(quotaRows({ quotas: {}, inUse: { instances: 0, vcpus: 3, ram: 0, storage: 0 } }),
    [{ label: 'vCPUs', used: '3', limit: 'no limit' }]);
  assert.deepEqual(quotaRows({ quotas: { storage: '1 TiB' } }), [{ label: 'Storage', used: '', limit: '1 TiB' }]);
  assert.deepEqual(quotaRows({ quotas: {} }), []);
});
