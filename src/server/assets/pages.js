// The history page (GET /v1/runs), the catalog browser (GET /v1/catalog and
// its datasets and metrics) and the example requests of the ask page.
import { el, $, clear, api, table, badge, ms, num, catalogOnce } from './util.js';

const verdicts = { ok: 'pass', clarify: 'warn', failed: 'fail', error: 'fail' };

let historySeq = 0; // the latest search: an older answer arriving late is dropped

export async function historyPage() {
  const box = $('#history');
  const q = $('#history-q').value.trim();
  const mine = ++historySeq;
  clear(box, el('p.muted', { text: 'Loading\u2026' }));
  try {
    const { data } = await api('v1/runs?limit=100' + (q ? '&q=' + encodeURIComponent(q) : ''));
    if (mine !== historySeq) return;
    const status = $('#history-status').value;
    const runs = (data.runs || []).filter((r) => !status || r.status === status);
    if (!runs.length) {
      clear(box, el('p', { text: q || status ? 'No run matches.' : 'No run yet.' }));
      return;
    }
    clear(box, table(['When', 'Status', 'Request', 'Product', 'Time'], runs.map((r) => [
      r.created_at, badge(verdicts[r.status] || 'unknown', r.status),
      el('a', { href: '#/run/' + encodeURIComponent(r.run_id), 'data-run': r.run_id, text: r.request || '(saved query)' }),
      r.product || (r.message ? el('span.muted', { text: r.message }) : ''), ms(r.ms)]), `${runs.length} run(s), newest first`));
  } catch (e) {
    if (mine !== historySeq) return;
    clear(box, el('p.error', { role: 'alert', text: 'The history could not be read: ' + e.message }));
  }
}

function pct(v) {
  return v === null || v === undefined ? '' : (v * 100).toFixed(v > 0 && v < 0.01 ? 2 : 0) + '%';
}

async function datasetDetail(name, slot) {
  clear(slot, el('p.muted', { text: 'Loading\u2026' }));
  try {
    const { data: d } = await api('v1/catalog/datasets/' + encodeURIComponent(name));
    clear(slot,
      el('p', {}, el('code', { text: d.table }), ` \u2014 ${num(d.rows)} rows, newest ${d.freshest || 'unknown'}, quality ${pct(d.quality)}, ` +
        `${num(d.duplicate_keys)} duplicate key(s), ${num(d.orphan_keys)} orphan key(s)`),
      table(['Column', 'Type', 'Nulls', 'Distinct', 'Min', 'Max', 'Frequent values'],
        (d.columns || []).map((c) => [el('code', { text: c.name }), c.type, pct(c.null_fraction), num(c.distinct), c.min ?? '', c.max ?? '',
          (c.frequent_values || []).map(([v, n]) => `${v} (${num(n)})`).join(', ')]), 'Profile of ' + d.dataset));
  } catch (e) {
    clear(slot, el('p.error', { text: 'The profile could not be read: ' + e.message }));
  }
}

async function metricDetail(name, slot) {
  try {
    const { data: m } = await api('v1/catalog/metrics/' + encodeURIComponent(name));
    clear(slot, el('dl.facts', {},
      m.formula ? [el('dt', { text: 'Formula' }), el('dd', {}, el('code', { text: m.formula }))] : null,
      el('dt', { text: 'Datasets' }), el('dd', { text: (m.datasets || []).join(', ') }),
      el('dt', { text: 'Defined in' }), el('dd', {}, el('code', { text: m.defined_in || '' })),
      m.disabled ? [el('dt', { text: 'Disabled' }), el('dd', { text: JSON.stringify(m.disabled) })] : null));
  } catch (e) {
    clear(slot, el('p.error', { text: 'The metric could not be read: ' + e.message }));
  }
}

// A list of <details>, each loading its detail the first time it opens.
function lazyList(items, head, load) {
  return el('ul.plain.lazy', {}, items.map((it) => {
    const slot = el('div');
    const d = el('details', {}, el('summary', {}, head(it)), slot);
    d.addEventListener('toggle', () => { if (d.open && !slot.childNodes.length) load(it, slot); });
    return el('li', {}, d);
  }));
}

const SHOW = 200; // rows a section shows at once: a large catalog is filtered, not scrolled

// The items matching the filter (by name or label), the first SHOW of them,
// and a note when some are left out.
function shown(items, filter, render) {
  const f = filter.toLowerCase();
  const hit = f ? items.filter((x) => [x.name, x.label, x.phrase].some((v) => v && String(v).toLowerCase().includes(f))) : items;
  return [render(hit.slice(0, SHOW)),
    hit.length > SHOW ? el('p.muted.small', { text: `Showing ${SHOW} of ${hit.length}: filter to find the others.` }) : null,
    f && !hit.length ? el('p.muted', { text: 'Nothing matches the filter.' }) : null];
}

export async function catalogPage(runSaved) {
  const box = $('#catalog');
  clear(box, el('p.muted', { text: 'Loading\u2026' }));
  let data;
  try {
    ({ data } = await api('v1/catalog'));
  } catch (e) {
    clear(box, el('p.error', { role: 'alert', text: 'The catalog could not be read: ' + e.message }));
    return;
  }
  const ds = data.datasets || [], mets = data.metrics || [], terms = data.terms || [];
  const learned = data.learned || [], disabled = data.disabled || [], saved = data.saved_queries || [];
  const sections = [
    ['cat-ds', 'Datasets', ds, (xs) => lazyList(xs, (d) => [el('strong', { text: d.name }), ` \u2014 ${num(d.rows)} rows, quality ${pct(d.quality)}. `,
      el('span.muted', { text: d.description || '' })], (d, slot) => datasetDetail(d.name, slot))],
    ['cat-m', 'Metrics', mets, (xs) => lazyList(xs, (m) => [el('strong', { text: m.name }), ` (${m.type}) `, m.label || '',
      el('span.muted', { text: ' ' + (m.description || '') })], (m, slot) => metricDetail(m.name, slot))],
    ['cat-s', 'Saved queries', saved, (xs) => xs.length ? table(['Saved query', 'Metrics', 'Grouped by', 'Status', ''], xs.map((q) => [
      [el('strong', { text: q.name }), q.label ? ' ' + q.label : '', q.description ? el('div.muted.small', { text: q.description }) : null],
      (q.metrics || []).join(', '), (q.group_by || []).join(', '), q.reason ? `${q.status}: ${q.reason}` : q.status || '',
      el('button', { type: 'button', onclick: () => runSaved(q.name) }, 'Run')]), 'Saved queries')
      : el('p.muted', { text: 'The catalog defines none.' })],
    ['cat-g', 'Glossary', terms, (xs) => table(['Term', 'Definition', 'Maps to', 'Owner'],
      xs.map((t) => [el('strong', { text: t.name }), t.definition || '', t.maps_to || '', t.owner || '']), 'Glossary terms')],
    ['cat-l', 'Learned phrases', learned, (xs) => xs.length ? table(['Phrase', 'Means', 'Kind', 'Learned'],
      xs.map((l) => [l.phrase, el('code', { text: l.target ?? l.name ?? '' }), l.kind || '', l.created_at || '']), 'Learned phrases')
      : el('p.muted', { text: 'None yet: answering a question offers to remember the choice.' })],
    ['cat-x', 'Disabled elements', disabled, (xs) => xs.length ? table(['Element', 'Kind', 'Why', 'Hint', 'Defined in'],
      xs.map((x) => [el('code', { text: x.name || '' }), x.kind || '', x.reason || '', x.hint || '', x.defined_in || '']), 'Disabled elements')
      : el('p.muted', { text: 'Every element of the catalog loaded.' })],
  ];
  const bodies = sections.map(() => el('div'));
  const filter = el('input', { id: 'catalog-filter', type: 'search' });
  const draw = () => sections.forEach(([, , items, render], i) => clear(bodies[i], shown(items, filter.value.trim(), render)));
  let timer = null;
  filter.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(draw, 150); });
  clear(box, el('div.row.wrap', {}, el('label', { for: 'catalog-filter', text: 'Filter by name' }), filter),
    sections.map(([id, title, items], i) => el('section.card', { 'aria-labelledby': id },
      el('h2', { id, text: `${title} (${items.length})` }), bodies[i])));
  draw();
}

// Example requests: the catalog's saved queries (each runs as
// options.saved_query) and the requests of recent answered runs; each runs
// on click.
export async function examples(box, run, runSaved) {
  try {
    const [cat, { data: hist }] = await Promise.all([catalogOnce(), api('v1/runs?limit=50')]);
    const saved = (cat.saved_queries || []).filter((q) => q.status !== 'disabled').slice(0, 6);
    // the answered requests of the last runs, the most asked first, then the newest
    const count = new Map();
    for (const r of hist.runs || []) if (r.status === 'ok' && r.request) count.set(r.request, (count.get(r.request) || 0) + 1);
    const texts = [...count.keys()].sort((a, b) => count.get(b) - count.get(a)).slice(0, 6);
    clear(box,
      saved.length ? [el('span.muted', { text: 'Saved queries: ' }), saved.map((q) => el('button.chip', {
        type: 'button', 'data-saved': q.name, title: q.description || null, onclick: () => runSaved(q.name),
      }, q.label || q.name))] : null,
      texts.length ? [el('span.muted', { text: 'Asked before: ' }),
        texts.map((t) => el('button.chip', { type: 'button', onclick: () => run(t) }, t))] : null);
  } catch {
    /* examples are optional: the form works without them */
  }
}
