// Suggestions of catalog names for the word being typed in the request box
// (an ARIA combobox): names that start with the word, from GET /v1/catalog,
// then what GET /v1/catalog/search ranks for it. Arrow keys choose one, Tab
// or Enter takes it, Escape closes; Enter with none chosen submits.
import { el, clear, api, catalogOnce } from './util.js';

const MAX = 8;
let names = null; // [{kind, name, label, insert}] from the catalog, loaded once

async function catalogNames() {
  if (names) return names;
  try {
    const data = await catalogOnce();
    names = [
      ...(data.metrics || []).map((m) => ({ kind: 'metric', name: m.name, label: m.label, insert: m.name })),
      ...(data.terms || []).map((t) => ({ kind: 'term', name: t.name, label: t.definition, insert: t.name })),
      ...(data.learned || []).map((l) => ({ kind: 'learned', name: l.phrase, label: l.target ?? l.name, insert: l.phrase })),
    ];
  } catch {
    names = [];
  }
  return names;
}

const profiles = new Map(); // dataset -> its profile's promise, read once

function profile(dataset) {
  if (!profiles.has(dataset)) {
    profiles.set(dataset, api('v1/catalog/datasets/' + encodeURIComponent(dataset)).then((r) => r.data, () => null));
  }
  return profiles.get(dataset);
}

// The suggestions of one search result: a dimension by its own name (after
// the dataset's), and, when the word is one of its values rather than its
// name, the values of its profile that start with the word; others by name.
async function fromResult(r, low) {
  if (r.kind !== 'dimension') return [{ kind: r.kind, name: r.name, label: r.label, insert: r.name }];
  const dot = r.name.lastIndexOf('.');
  const col = r.name.slice(dot + 1);
  const dim = { kind: 'dimension', name: r.name, label: r.label, insert: col.replace(/_/g, ' ') };
  if (col.toLowerCase().startsWith(low) || dot < 0) return [dim];
  const prof = await profile(r.name.slice(0, dot));
  const c = prof && (prof.columns || []).find((x) => x.name === col);
  const values = ((c && c.frequent_values) || []).map(([v]) => String(v)).filter((v) => v.toLowerCase().startsWith(low));
  return [...values.map((v) => ({ kind: 'value', name: v, label: r.name, insert: v })), dim];
}

export function initSuggest(input, list) {
  let items = [];
  let active = -1;
  let timer = null;
  let seq = 0;

  const word = () => {
    const upto = input.value.slice(0, input.selectionStart ?? input.value.length);
    const m = /[\p{L}\p{N}_.-]+$/u.exec(upto);
    return m ? { text: m[0], start: m.index, end: upto.length } : null;
  };
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    items = [];
    active = -1;
  };
  const mark = (i) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', j === i ? 'true' : 'false'));
    if (i >= 0) input.setAttribute('aria-activedescendant', 'sg-' + i);
    else input.removeAttribute('aria-activedescendant');
  };
  const take = (i) => {
    const w = word();
    const it = items[i];
    if (!w || !it) return;
    const v = input.value;
    input.value = v.slice(0, w.start) + it.insert + ' ' + v.slice(w.end).replace(/^ /, '');
    const pos = w.start + it.insert.length + 1;
    input.setSelectionRange(pos, pos);
    close();
    input.focus();
  };
  const render = () => {
    clear(list, items.map((it, i) => el('li', {
      id: 'sg-' + i, role: 'option', 'aria-selected': 'false',
      onmousedown: (e) => { e.preventDefault(); take(i); },
    }, el('span.kind', { text: it.kind }), ' ', el('strong', { text: it.name }),
    it.label && it.label !== it.name ? el('span.muted', { text: ' ' + it.label }) : null)));
    list.hidden = !items.length;
    input.setAttribute('aria-expanded', items.length ? 'true' : 'false');
    active = -1;
  };
  const update = async () => {
    const w = word();
    const mine = ++seq;
    if (!w || w.text.length < 2) { close(); return; }
    const low = w.text.toLowerCase();
    const local = (await catalogNames()).filter((n) => n.name.toLowerCase().startsWith(low) ||
      (n.label && n.label.toLowerCase().startsWith(low)));
    let found = [];
    try {
      const { data } = await api('v1/catalog/search?limit=' + MAX + '&q=' + encodeURIComponent(w.text));
      found = (await Promise.all((data.results || []).map((r) => fromResult(r, low)))).flat();
    } catch {
      found = [];
    }
    if (mine !== seq) return; // a later keystroke has its own answer
    const seen = new Set();
    items = [...local, ...found].filter((it) => !seen.has(it.kind + it.name) && seen.add(it.kind + it.name)).slice(0, MAX);
    render();
  };

  // a submitted or dismissed box drops the answers still on their way
  const stop = () => { clearTimeout(timer); seq++; close(); };
  if (input.form) input.form.addEventListener('submit', stop);
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(update, 120);
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && list.hidden) { clearTimeout(timer); seq++; return; }
    if (list.hidden) return;
    if (e.key === 'ArrowDown') { e.preventDefault(); mark((active + 1) % items.length); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); mark(active <= 0 ? items.length - 1 : active - 1); }
    else if (e.key === 'Escape') { e.preventDefault(); stop(); }
    else if ((e.key === 'Tab' || e.key === 'Enter') && active >= 0) { e.preventDefault(); take(active); }
    else if (e.key === 'Enter') close();
  });
}
