// The live token counts of the deployment plan, kept from the server-sent events of
// GET /deployments/{id}/events: a snapshot, then journal events counted as engine.Statistics counts them.
// Only the runs of the deploy plan count (the diagram shown); a new provider attempt re-runs that diagram,
// so the counts restart with it.

/** Tokens holds per-element counts and the multi-instance counters of the deploy plan's latest attempt. */
export class Tokens {
  constructor() {
    this.stats = null;
    this.mi = {};
    this.failed = new Set();
    this.attempt = 0;
  }

  /** snapshot starts from the stream's first event. */
  snapshot(s) {
    const runs = (s.runs || []).filter((r) => r.kind === 'deploy');
    const latest = runs.reduce((a, r) => (!a || (r.attempt || 0) >= (a.attempt || 0) ? r : a), null);
    this.attempt = latest?.attempt || 0;
    this.stats = structuredClone(latest?.statistics || {});
    this.mi = structuredClone(latest?.multiInstance || {});
    this.failed = new Set();
  }

  /** journal applies one journal event; it returns whether the counts changed. */
  journal(e) {
    if (!this.stats || e.kind !== 'deploy' || !e.element) return false;
    if ((e.attempt || 0) > this.attempt) {
      this.attempt = e.attempt;
      this.stats = {};
      this.mi = {};
      this.failed = new Set();
    } else if ((e.attempt || 0) < this.attempt) {
      return false;
    }
    const s = this.stats[e.element] || { active: 0, completed: 0, canceled: 0, incidents: 0 };
    switch (e.type) {
      case 'element-activated': s.active += 1; break;
      case 'element-completed': s.active -= 1; s.completed += 1; break;
      case 'element-terminated':
        s.active -= 1;
        s.canceled += 1;
        // A task ended by a BPMN error it threw says so in the detail (when the engine gives one).
        if (/error/i.test(e.detail || '')) this.failed.add(e.element);
        break;
      case 'flow-taken': s.completed += 1; break;
      case 'incident-raised': s.incidents += 1; break;
      case 'incident-resolved': s.incidents -= 1; break;
      default: return false;
    }
    this.stats[e.element] = s;
    return true;
  }

  /** multiInstance replaces the live counters of the multi-instance bodies. */
  multiInstance(m) {
    if (m.kind !== 'deploy' || (m.attempt || 0) < this.attempt) return;
    this.mi = m.elements || {};
  }
}
