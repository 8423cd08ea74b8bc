// The inputs form: one labelled field per input of the template, its kind chosen by the TOSCA type and the
// constraints (valid_values: a list to choose from; in_range and the comparisons: number bounds; lengths and
// patterns: text rules). Each field says its type, whether it is required, its default and its constraints,
// and is checked before the deployment is sent.
import { h, id } from './dom.js';

const numeric = new Set(['integer', 'float']);

/** constraintText renders one TOSCA constraint for people. */
export function constraintText(c) {
  const [[op, v]] = Object.entries(c);
  const show = (x) => (Array.isArray(x) ? x.map(String).join(', ') : String(x));
  switch (op) {
    case 'valid_values': return `one of ${show(v)}`;
    case 'in_range': return `between ${show(v[0])} and ${show(v[1])}`;
    case 'equal': return `equal to ${show(v)}`;
    case 'greater_than': return `greater than ${show(v)}`;
    case 'greater_or_equal': return `at least ${show(v)}`;
    case 'less_than': return `less than ${show(v)}`;
    case 'less_or_equal': return `at most ${show(v)}`;
    case 'length': return `exactly ${show(v)} long`;
    case 'min_length': return `at least ${show(v)} long`;
    case 'max_length': return `at most ${show(v)} long`;
    case 'pattern': return `matching ${show(v)}`;
    default: return `${op}: ${show(v)}`;
  }
}

/** check returns why value breaks a constraint of def ("" when it keeps them all). */
export function check(value, def) {
  for (const c of def.constraints) {
    const [[op, v]] = Object.entries(c);
    const num = typeof value === 'number';
    const len = typeof value === 'string' || Array.isArray(value) ? value.length : null;
    let ok = true;
    switch (op) {
      case 'valid_values': ok = Array.isArray(v) && v.some((x) => String(x) === String(value)); break;
      case 'in_range': ok = !num || (value >= Number(v[0]) && (v[1] === 'UNBOUNDED' || value <= Number(v[1]))); break;
      case 'equal': ok = String(value) === String(v); break;
      case 'greater_than': ok = !num || value > Number(v); break;
      case 'greater_or_equal': ok = !num || value >= Number(v); break;
      case 'less_than': ok = !num || value < Number(v); break;
      case 'less_or_equal': ok = !num || value <= Number(v); break;
      case 'length': ok = len == null || len === Number(v); break;
      case 'min_length': ok = len == null || len >= Number(v); break;
      case 'max_length': ok = len == null || len <= Number(v); break;
      case 'pattern':
        try { ok = typeof value !== 'string' || new RegExp(`^(?:${v})$`).test(value); } catch { ok = true; }
        break;
      default:
    }
    if (!ok) return op === 'pattern' ? `must match the pattern ${v}` : `must be ${constraintText(c)}`;
  }
  return '';
}

// forUpdate turns an input's definition into that of an update's field: optional, not filled in, a boolean chosen
// from a list (a checkbox cannot say "unchanged").
function forUpdate(def) {
  const d = { ...def, required: false, hasDefault: false };
  if (def.type === 'boolean') d.constraints = [{ valid_values: [true, false] }, ...def.constraints];
  return d;
}

/** InputsForm builds the fields of inputs (from template.analyse) and reads their values back. */
export class InputsForm {
  constructor() {
    this.el = h('div', { class: 'inputs' });
    this.fields = [];
    this.set({});
  }

  /**
   * set rebuilds the form for inputs, keeping what the user typed in fields of the same name and type. For an
   * update (update: true) every field starts empty and empty means unchanged: the server merges the values
   * given into those the deployment has, which this page cannot read.
   */
  set(inputs, { update = false } = {}) {
    this.update = update;
    const kept = new Map(this.fields.map((f) => [`${f.name}:${f.def.type}`, f.raw()]));
    this.fields = [];
    const names = Object.keys(inputs);
    this.el.replaceChildren();
    if (!names.length) {
      this.el.append(h('p', { class: 'empty' }, 'This template has no inputs.'));
      return;
    }
    for (const name of names) {
      const f = this.field(name, inputs[name]);
      const k = kept.get(`${name}:${inputs[name].type}`);
      if (k !== undefined) f.restore(k);
      this.fields.push(f);
      this.el.append(f.el);
    }
  }

  field(name, original) {
    const def = this.update ? forUpdate(original) : original;
    const fid = id(`input-${name}`);
    const hintId = `${fid}-hint`;
    const errId = `${fid}-error`;
    const valid = def.constraints.find((c) => 'valid_values' in c)?.valid_values;
    const range = def.constraints.find((c) => 'in_range' in c)?.in_range;
    const common = { id: fid, name, 'aria-describedby': `${hintId} ${errId}`, 'data-input': name };
    let control;
    if (Array.isArray(valid)) {
      control = h('select', common,
        !def.required || !def.hasDefault ? h('option', { value: '' }, def.required ? 'Choose…' : (this.update ? '(unchanged)' : '(no value)')) : null,
        valid.map((v) => h('option', { value: String(v) }, String(v))));
      if (def.hasDefault) control.value = String(def.default);
    } else if (def.type === 'boolean') {
      control = h('input', { ...common, type: 'checkbox', checked: def.default === true });
    } else if (numeric.has(def.type)) {
      control = h('input', {
        ...common, type: 'number', step: def.type === 'integer' ? '1' : 'any', inputmode: def.type === 'integer' ? 'numeric' : 'decimal',
        min: range?.[0], max: range && range[1] !== 'UNBOUNDED' ? range[1] : null,
        value: def.hasDefault ? String(def.default) : '',
      });
    } else if (def.type === 'list' || def.type === 'map' || (def.hasDefault && typeof def.default === 'object' && def.default !== null)) {
      control = h('textarea', { ...common, rows: 3, class: 'json', spellcheck: 'false',
        value: def.hasDefault ? JSON.stringify(def.default) : '' });
    } else {
      control = h('input', { ...common, type: def.type === 'string' && /password|secret/i.test(name) ? 'password' : 'text',
        value: def.hasDefault ? String(def.default) : '', autocomplete: 'off' });
    }
    if (def.required && !def.hasDefault) control.setAttribute('aria-required', 'true');
    const error = h('p', { class: 'field-error', id: errId, 'aria-live': 'polite' });
    const facts = [
      def.type + (def.entrySchema ? ` of ${def.entrySchema}` : ''),
      this.update ? 'empty: unchanged' : (def.required && !def.hasDefault ? 'required' : 'optional'),
      original.hasDefault ? `${this.update ? "the template's default" : "default"} ${typeof original.default === 'object' ? JSON.stringify(original.default) : String(original.default)}` : null,
      ...def.constraints.map(constraintText),
    ].filter(Boolean).join(' · ');
    const label = h('label', { for: fid, class: 'field-label' }, name, def.required && !def.hasDefault ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null);
    const el = h('div', { class: `field field-${def.type === 'boolean' ? 'check' : 'text'}` },
      def.type === 'boolean' ? [control, label] : [label, control],
      h('p', { class: 'hint', id: hintId }, def.description ? [def.description, h('br'), h('span', { class: 'facts' }, facts)] : h('span', { class: 'facts' }, facts)),
      error);
    const raw = () => (control.type === 'checkbox' ? control.checked : control.value);
    return {
      name, def, el, raw, control,
      restore: (v) => { if (control.type === 'checkbox') control.checked = !!v; else control.value = v; },
      read: () => this.read(control, def, error),
    };
  }

  // read returns {value, given} of one field, or {error}.
  read(control, def, error) {
    error.textContent = '';
    control.removeAttribute('aria-invalid');
    const fail = (msg) => {
      error.textContent = msg;
      control.setAttribute('aria-invalid', 'true');
      return { error: msg };
    };
    if (control.type === 'checkbox') return { value: control.checked, given: control.checked !== (def.default === true) || def.hasDefault };
    const text = control.value.trim();
    if (text === '') {
      if (def.required && !def.hasDefault) return fail('A value is required.');
      return { given: false };
    }
    let value = text;
    if (def.type === 'boolean') {
      value = text === 'true';
    } else if (def.type === 'integer') {
      if (!/^[-+]?\d+$/.test(text)) return fail('Enter a whole number.');
      value = Number(text);
    } else if (def.type === 'float') {
      value = Number(text);
      if (!Number.isFinite(value)) return fail('Enter a number.');
    } else if (control.tagName === 'TEXTAREA') {
      try { value = JSON.parse(text); } catch { return fail(`Enter a JSON ${def.type === 'map' ? 'object' : 'list'}, e.g. ${def.type === 'map' ? '{"key": "value"}' : '["a", "b"]'}.`); }
    }
    const bad = check(value, def);
    return bad ? fail(`The value ${bad}.`) : { value, given: true };
  }

  /** values returns {parameters, errors}: the given values by name, and the first field with an error. */
  values() {
    const parameters = {};
    let first = null;
    for (const f of this.fields) {
      const r = f.read();
      if (r.error) first = first || f.control;
      else if (r.given) parameters[f.name] = r.value;
    }
    return { parameters, invalid: first };
  }
}
