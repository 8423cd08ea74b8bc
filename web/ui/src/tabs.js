// Tabs as the WAI-ARIA authoring practices describe them: a tablist whose arrow, Home and End keys move
// between tabs, each tab controlling one panel; only the selected tab is in the tab order.
import { h, id } from './dom.js';

/** tabs builds a tab set of [{key, label, panel}]; onShow(key) runs when a tab is selected. */
export function tabs(items, { label, selected, onShow }) {
  const base = id('tab');
  const buttons = [];
  const panels = [];
  const select = (i, focus) => {
    buttons.forEach((b, j) => {
      b.setAttribute('aria-selected', String(i === j));
      b.tabIndex = i === j ? 0 : -1;
      panels[j].hidden = i !== j;
    });
    if (focus) buttons[i].focus();
    onShow?.(items[i].key);
  };
  items.forEach((it, i) => {
    const b = h('button', {
      type: 'button', role: 'tab', id: `${base}-${it.key}`, 'aria-controls': `${base}-${it.key}-panel`, 'data-tab': it.key,
      onclick: () => select(i, false),
      onkeydown: (e) => {
        const n = items.length;
        const to = { ArrowRight: (i + 1) % n, ArrowLeft: (i - 1 + n) % n, Home: 0, End: n - 1 }[e.key];
        if (to != null) { e.preventDefault(); select(to, true); }
      },
    }, it.label);
    buttons.push(b);
    panels.push(h('div', { role: 'tabpanel', id: `${base}-${it.key}-panel`, 'aria-labelledby': b.id, tabindex: '0', class: 'tabpanel' }, it.panel));
  });
  const el = h('div', { class: 'tabs' }, h('div', { role: 'tablist', 'aria-label': label }, buttons), panels);
  const start = Math.max(0, items.findIndex((it) => it.key === selected));
  select(start, false);
  return { el, select: (key) => select(items.findIndex((it) => it.key === key), false) };
}
