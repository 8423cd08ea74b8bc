// Unit tests of the token counting (node --test; run by TestJavaScriptUnits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tokens } from '../src/tokens.js';

const ev = (type, element, extra = {}) => ({ kind: 'deploy', attempt: 1, type, element, ...extra });

test('journal events count as engine.Statistics counts them', () => {
  const t = new Tokens();
  t.snapshot({ position: 0, runs: [{ kind: 'deploy', attempt: 1, statistics: {} }] });
  for (const e of [ev('element-activated', 'a'), ev('element-activated', 'a'), ev('element-completed', 'a'),
    ev('element-terminated', 'a'), ev('flow-taken', 'f'), ev('incident-raised', 'b'), ev('incident-raised', 'b'),
    ev('incident-resolved', 'b')]) {
    assert.equal(t.journal(e), true);
  }
  assert.deepEqual(t.stats.a, { active: 0, completed: 1, canceled: 1, incidents: 0 });
  assert.deepEqual(t.stats.f, { active: 0, completed: 1, canceled: 0, incidents: 0 });
  assert.equal(t.stats.b.incidents, 1);
});

test('only the deploy plan counts, and a later attempt starts again', () => {
  const t = new Tokens();
  t.snapshot({ position: 9, runs: [{ kind: 'deploy', attempt: 1, statistics: { a: { active: 1, completed: 0, canceled: 0, incidents: 0 } } }] });
  assert.equal(t.journal({ ...ev('element-activated', 'u'), kind: 'update' }), false);
  assert.equal(t.stats.u, undefined);
  assert.equal(t.journal(ev('element-activated', 'x', { attempt: 2 })), true);
  assert.deepEqual(Object.keys(t.stats), ['x']);
  assert.equal(t.journal(ev('element-completed', 'x', { attempt: 1 })), false, 'an older attempt is ignored');
});

test('the snapshot of the latest attempt is the start', () => {
  const t = new Tokens();
  t.snapshot({ position: 5, runs: [
    { kind: 'deploy', attempt: 1, statistics: { old: { active: 0, completed: 1, canceled: 0, incidents: 0 } } },
    { kind: 'deploy', attempt: 2, statistics: { cur: { active: 1, completed: 0, canceled: 0, incidents: 0 } }, multiInstance: { mi: { nrOfInstances: 3, nrOfCompletedInstances: 1 } } },
    { kind: 'undeploy', attempt: 3, statistics: { u: { active: 1, completed: 0, canceled: 0, incidents: 0 } } },
  ] });
  assert.deepEqual(Object.keys(t.stats), ['cur']);
  assert.equal(t.mi.mi.nrOfInstances, 3);
  assert.equal(t.attempt, 2);
});

test('errors thrown are kept apart, and across a reconnection', () => {
  const t = new Tokens();
  t.snapshot({ position: 0, runs: [] });
  t.journal(ev('error-thrown', 'task', { detail: 'CODE: boom' }));
  t.journal(ev('error-thrown', 'task'));
  assert.deepEqual(t.errors, { task: 2 });
  assert.equal(t.stats.task, undefined, 'not a count of the statistics');
  t.snapshot({ position: 40, runs: [{ kind: 'deploy', attempt: 1, statistics: {} }] });
  assert.deepEqual(t.errors, { task: 2 });
  t.snapshot({ position: 0, runs: [] });
  assert.deepEqual(t.errors, {});
});

test('multi-instance counters of the current attempt replace the previous ones', () => {
  const t = new Tokens();
  t.snapshot({ position: 1, runs: [{ kind: 'deploy', attempt: 2, statistics: {} }] });
  t.multiInstance({ kind: 'deploy', attempt: 1, elements: { m: { nrOfInstances: 9 } } });
  assert.deepEqual(t.mi, {});
  t.multiInstance({ kind: 'deploy', attempt: 2, elements: { m: { nrOfInstances: 3 } } });
  assert.equal(t.mi.m.nrOfInstances, 3);
  t.multiInstance({ kind: 'deploy', attempt: 2, elements: {} });
  assert.deepEqual(t.mi, {});
});
