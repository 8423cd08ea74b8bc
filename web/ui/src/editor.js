// A plain-text editor for templates: a textarea (so that typing, selection, undo and screen readers work as
// everywhere) over a backdrop that highlights the lines with problems, beside a gutter of line numbers that
// marks them. Problems are listed below it as buttons that move the caret to their line.
import { h, replace, id } from './dom.js';

/** Editor is the template editor; onChange(text) runs on every edit. */
export class Editor {
  constructor({ label, onChange }) {
    const taId = id('template');
    this.problems = [];
    this.gutter = h('div', { class: 'gutter', 'aria-hidden': 'true' });
    this.backdrop = h('div', { class: 'backdrop', 'aria-hidden': 'true' });
    this.list = h('ul', { class: 'problems', id: id('problems'), 'aria-label': 'Problems in the template' });
    this.summary = h('p', { class: 'problem-summary', role: 'status', 'aria-live': 'polite' });
    this.textarea = h('textarea', {
      id: taId, class: 'code', spellcheck: 'false', wrap: 'off', autocapitalize: 'off', autocomplete: 'off',
      'aria-describedby': `${this.list.id} ${taId}-keys`, 'aria-invalid': 'false', rows: 24,
      oninput: () => { this.render(); onChange?.(this.textarea.value); },
      onscroll: () => this.sync(),
      onkeydown: (e) => this.key(e),
    });
    this.el = h('div', { class: 'editor-wrap' },
      h('label', { for: taId, class: 'field-label' }, label),
      h('p', { class: 'hint', id: `${taId}-keys` }, 'Tab indents by two spaces; press Esc, then Tab, to leave the editor.'),
      h('div', { class: 'editor' }, this.gutter, h('div', { class: 'code-area' }, this.backdrop, this.textarea)),
      this.summary, this.list);
    this.render();
  }

  get value() { return this.textarea.value; }

  set value(text) {
    this.textarea.value = text;
    this.render();
  }

  // key makes Tab indent with two spaces (YAML has no tabs); Escape then Tab leaves the editor, so that the
  // keyboard is never trapped.
  key(e) {
    if (e.key === 'Escape') { this.escaped = true; return; }
    if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.altKey && !this.escaped) {
      e.preventDefault();
      const ta = this.textarea;
      ta.setRangeText('  ', ta.selectionStart, ta.selectionEnd, 'end');
      ta.dispatchEvent(new Event('input'));
    }
    if (e.key !== 'Tab') this.escaped = false;
  }

  /** setProblems shows problems ({line, column, message, warning}) at their lines and in the list. */
  setProblems(problems) {
    this.problems = [...problems].sort((a, b) => (a.line - b.line) || (a.column - b.column));
    const errors = this.problems.filter((p) => !p.warning).length;
    this.textarea.setAttribute('aria-invalid', errors ? 'true' : 'false');
    replace(this.list, this.problems.map((p) => h('li', { class: p.warning ? 'warning' : 'error', 'data-line': p.line },
      h('button', { type: 'button', class: 'link', onclick: () => this.goTo(p.line, p.column) },
        p.line ? `Line ${p.line}${p.column ? `, column ${p.column}` : ''}` : 'Template'),
      ` ${p.warning ? 'warning' : 'error'}: `, p.message)));
    this.render();
  }

  /** goTo puts the caret at line:column and scrolls it into view. */
  goTo(line, column = 1) {
    const lines = this.textarea.value.split('\n');
    let off = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i += 1) off += lines[i].length + 1;
    off += Math.max(0, Math.min((column || 1) - 1, (lines[line - 1] || '').length));
    this.textarea.focus();
    this.textarea.setSelectionRange(off, off);
    const lh = parseFloat(getComputedStyle(this.textarea).lineHeight) || 18;
    const top = (line - 1) * lh;
    if (top < this.textarea.scrollTop || top > this.textarea.scrollTop + this.textarea.clientHeight - 2 * lh) {
      this.textarea.scrollTop = Math.max(0, top - this.textarea.clientHeight / 3);
    }
    this.sync();
  }

  render() {
    const n = this.textarea.value.split('\n').length;
    const byLine = new Map();
    for (const p of this.problems) {
      if (!p.line) continue;
      const cur = byLine.get(p.line);
      byLine.set(p.line, cur ? { warning: cur.warning && p.warning, msg: `${cur.msg}\n${p.message}` } : { warning: p.warning, msg: p.message });
    }
    const nums = [];
    const marks = [];
    for (let i = 1; i <= Math.max(n, 1); i += 1) {
      const p = byLine.get(i);
      const cls = p ? (p.warning ? 'has-warning' : 'has-problem') : '';
      nums.push(h('div', { class: `ln ${cls}`, 'data-line': i, title: p?.msg }, p ? `● ${i}` : String(i)));
      marks.push(h('div', { class: `bl ${cls}`, 'data-line': i }, ' '));
    }
    replace(this.gutter, nums);
    replace(this.backdrop, marks);
    const errors = this.problems.filter((p) => !p.warning).length;
    const warnings = this.problems.length - errors;
    this.summary.textContent = this.problems.length
      ? `${errors} error${errors === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''} in the template.`
      : '';
    this.sync();
  }

  sync() {
    this.gutter.scrollTop = this.textarea.scrollTop;
    this.backdrop.style.transform = `translate(${-this.textarea.scrollLeft}px, ${-this.textarea.scrollTop}px)`;
  }
}
