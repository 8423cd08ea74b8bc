// The live token counts of the deployment plan, kept from the server-sent events of
// GET /deployments/{id}/events: a snapshot, then journal events counted as engine.Statistics counts them.
// Only the runs of the deploy plan count (the diagram shown); a new provider attempt re-runs that diagram,
// so the counts restart with it.

/**
 * Tokens holds per-element counts, the multi-instance counters and the errors thrown of the deploy plan's latest
 * attempt.
 */
export class Tokens {
  constructor() {
    this.stats = null;
    this.mi = {};
    this.errors = {};
    this.attempt = 0;
  }

  /** snapshot starts from the stream's first event. */
  snapshot(s) {
    const runs = (s.runs || []).filter((r) => r.kind === 'deploy');
    const latest = runs.reduce((a, r) => (!a || (r.attempt || 0) >= (a.attempt || 0) ? r : a), null);
    this.attempt = latest?.attempt || 0;
    this.stats = structuredClone(latest?.statistics || {});
    this.mi = structuredClone(latest?.multiInstance || {});
    // A snapshot at the journal's start precedes a replay of every event, errors included; one at a later
    // position (a reconnection) does not carry the errors seen before it, so they are kept.
    if (!s.position) this.errors = {};
  }

  /** journal applies one journal event; it returns whether the counts changed. */
  journal(e) {
    if (!this.stats || e.kind !== 'deploy' || !e.element) return false;
    if ((e.attempt || 0) > this.attempt) {
      this.attempt = e.attempt;
      this.stats = {};
      this.mi = {};
      this.errors = {};
    } else if ((e.attempt || 0) < this.attempt) {
      return false;
    }
    if (e.type === 'error-thrown') {
      // Where a BPMN error was thrown (a task that failed with a code, an error end event); not a count of
      // engine.Statistics, so kept apart. A snapshot does not carry them: only errors seen live are shown.
      this.errors[e.element] = (this.errors[e.element] || 0) + 1;
      return true;
    }
    const s = this.stats[e.element] || { active: 0, completed: 0, canceled: 0, incidents: 0 };
    switch (e.type) {
      case 'element-activated': s.active += 1; break;
      case 'element-completed': s.active -= 1; s.completed += 1; break;
      case 'element-terminated': s.active -= 1; s.canceled += 1; break;
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
