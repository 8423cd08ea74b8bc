// The plan drawn by bpmn-js with its live tokens, as Camunda Operate shows them: count badges per element
// (active, completed, canceled, incidents), markers for the elements running now and those that failed,
// the sequence flows already taken highlighted, and the instances of multi-instance activities counted.
// The counts come from GET /deployments/{id}/statistics (engine.Statistics over the plans' journals).
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { h, replace } from './dom.js';

const OVERLAY = 'tf-tokens';
const MARKERS = ['tf-active', 'tf-failed', 'tf-done', 'tf-taken'];

// raisesFailure is whether reaching el means something failed: an error or escalation caught by a boundary
// event, or thrown by an end or intermediate event. The engine journals BPMN errors as the flow they take, not
// as incidents, so these are the places where the plan shows a failure it handled.
function raisesFailure(el) {
  const bo = el.businessObject;
  const defs = bo?.eventDefinitions || [];
  return defs.some((d) => d.$type === 'bpmn:ErrorEventDefinition' || d.$type === 'bpmn:EscalationEventDefinition');
}

function isMulti(el) {
  return el.businessObject?.loopCharacteristics?.$type === 'bpmn:MultiInstanceLoopCharacteristics';
}

/** PlanView is a read-only diagram of one plan; update(stats) redraws the tokens. */
export class PlanView {
  constructor() {
    this.canvasEl = h('div', { class: 'plan-canvas', 'data-testid': 'plan' });
    this.legend = h('p', { class: 'legend', 'aria-hidden': 'true' },
      h('span', { class: 'tf-badge tf-b-active' }, 'n'), ' running ',
      h('span', { class: 'tf-badge tf-b-completed' }, 'n'), ' completed ',
      h('span', { class: 'tf-badge tf-b-incidents' }, 'n'), ' incidents ',
      h('span', { class: 'tf-badge tf-b-canceled' }, 'n'), ' canceled ',
      h('span', { class: 'tf-badge tf-b-mi' }, 'n/m'), ' instances done ');
    this.summary = h('div', { class: 'plan-summary', 'aria-live': 'polite' });
    this.el = h('div', { class: 'plan' },
      h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Plan view' },
        h('button', { type: 'button', onclick: () => this.zoom(1.25), 'aria-label': 'Zoom in' }, '+'),
        h('button', { type: 'button', onclick: () => this.zoom(0.8), 'aria-label': 'Zoom out' }, '−'),
        h('button', { type: 'button', onclick: () => this.fit() }, 'Fit'),
        h('span', { class: 'hint' }, 'Drag or use the arrow keys (after clicking the diagram) to move; Ctrl + wheel zooms.')),
      this.canvasEl, this.legend, this.summary);
    this.viewer = new NavigatedViewer({ container: this.canvasEl, keyboard: { bind: true } });
    this.loaded = false;
  }

  /** load draws the BPMN XML. */
  async load(xml) {
    const { warnings } = await this.viewer.importXML(xml);
    this.loaded = true;
    this.fit();
    const svgEl = this.canvasEl.querySelector('svg');
    if (svgEl) {
      svgEl.setAttribute('role', 'img');
      svgEl.setAttribute('aria-label', 'The deployment plan (BPMN): the element states are listed below the diagram.');
    }
    return warnings;
  }

  fit() {
    if (this.loaded) this.viewer.get('canvas').zoom('fit-viewport', 'auto');
  }

  zoom(f) {
    if (!this.loaded) return;
    const canvas = this.viewer.get('canvas');
    canvas.zoom(canvas.zoom() * f);
  }

  /**
   * update shows stats ({elementId: {active, completed, canceled, incidents}}) on the diagram, with:
   * mi, the live counters of multi-instance bodies ({elementId: {nrOfInstances, nrOfCompletedInstances}}) when
   * the event stream gives them; errors, the BPMN errors thrown per element seen on the stream; and, for a
   * failed deployment (failed), failedOps, the operations its reason names (tf:operation values), whose
   * service tasks that were cut short are marked as where the failure happened.
   */
  update(stats, { mi = {}, errors = {}, failed: deploymentFailed = false, failedOps = new Set() } = {}) {
    if (!this.loaded) return;
    const registry = this.viewer.get('elementRegistry');
    const canvas = this.viewer.get('canvas');
    const overlays = this.viewer.get('overlays');
    overlays.remove({ type: OVERLAY });
    const running = [];
    const failed = [];
    const caught = [];
    const elements = registry.getAll().filter((el) => el.type !== 'label' && el !== canvas.getRootElement()
      && el.type !== 'bpmn:Process' && el.type !== 'bpmn:Collaboration');
    for (const el of elements) for (const m of MARKERS) canvas.removeMarker(el, m);
    for (const el of elements) {
      const s = stats[el.id];
      if (!s) continue;
      const name = el.businessObject?.name || el.id;
      if (el.waypoints) {
        if (s.completed > 0) canvas.addMarker(el, 'tf-taken');
        continue;
      }
      const badges = [];
      if (s.active > 0) { canvas.addMarker(el, 'tf-active'); running.push(name); }
      const op = el.businessObject?.$attrs?.['tf:operation'];
      const cutShort = op && failedOps.has(op) && s.canceled > 0;
      if (errors[el.id] > 0) {
        badges.push(h('span', { class: 'tf-badge tf-b-errors', 'data-kind': 'errors', 'data-element': el.id, title: `${errors[el.id]} errors thrown` }, `⚠${errors[el.id]}`));
      }
      if (s.incidents > 0 || cutShort || (deploymentFailed && errors[el.id] > 0 && el.type !== 'bpmn:EndEvent')) {
        canvas.addMarker(el, 'tf-failed');
        failed.push(name);
        if (!s.incidents && !errors[el.id]) badges.push(h('span', { class: 'tf-badge tf-b-incidents', 'data-kind': 'failed', 'data-element': el.id, title: 'failed here' }, '!'));
      }
      if (s.completed > 0 && raisesFailure(el)) {
        canvas.addMarker(el, 'tf-failed');
        const host = el.host;
        if (host) canvas.addMarker(host, 'tf-failed');
        caught.push(host ? `${name} (on ${host.businessObject?.name || host.id})` : name);
      }
      if (s.completed > 0 && s.active <= 0) canvas.addMarker(el, 'tf-done');
      const badge = (kind, n, label) => {
        if (n > 0) badges.push(h('span', { class: `tf-badge tf-b-${kind}`, 'data-kind': kind, 'data-element': el.id, title: `${n} ${label}` }, String(n)));
      };
      badge('active', s.active, 'running');
      badge('completed', s.completed, 'completed');
      badge('incidents', s.incidents, 'incidents');
      badge('canceled', s.canceled, 'canceled');
      if (badges.length) overlays.add(el, OVERLAY, { position: { bottom: 8, left: -6 }, html: h('div', { class: 'tf-badges' }, badges) });
      if (isMulti(el)) {
        let done;
        let total;
        if (mi[el.id]) {
          done = mi[el.id].nrOfCompletedInstances;
          total = mi[el.id].nrOfInstances;
        } else {
          // Without live counters: the body counts as one activation of the element, each instance as
          // another (engine.Statistics), so the instances running are the active ones less the running body
          // and the done ones the completed less a completed body.
          const bodyRunning = s.active > 0 ? 1 : 0;
          done = Math.max(0, s.completed - (s.active > 0 ? 0 : 1));
          total = Math.max(0, s.active - bodyRunning) + done;
        }
        if (total > 0) {
          overlays.add(el, OVERLAY, {
            position: { top: -12, right: 14 },
            html: h('span', { class: 'tf-badge tf-b-mi', 'data-kind': 'mi', 'data-element': el.id, title: `${done} of ${total} instances done` }, `${done}/${total}`),
          });
        }
      }
    }
    replace(this.summary,
      h('p', {}, h('strong', {}, 'Running now: '), running.length ? running.join(', ') : 'nothing'),
      failed.length ? h('p', { class: 'error-text', 'data-testid': 'incidents' }, h('strong', {}, 'Failed at: '), failed.join(', ')) : null,
      caught.length ? h('p', { class: 'error-text', 'data-testid': 'failures' }, h('strong', {}, 'Failures raised at: '), caught.join(', ')) : null);
  }

  destroy() { this.viewer.destroy(); }
}
