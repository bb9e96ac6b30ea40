// The lineage graph as inline SVG: source tables on the left, the SQL's
// steps (its CTEs) in the middle, the target table on the right; one edge
// per source (to the step that reads it, else to the target). Pointing at a
// target column, or choosing it (click, Enter or Space), draws its
// column-level edges.
import { el, svg, clear } from './util.js';

const W = 1000, ROW = 18, HEAD = 30, GAP = 18;
const COLS = { src: [8, 270], step: [350, 230], tgt: [650, 342] };

function fit(text, width) {
  const max = Math.floor((width - 16) / 7.6);
  return text.length > max ? text.slice(0, max - 1) + '\u2026' : text;
}

function label(x, y, text, width, cls) {
  return svg('text', { x: x + 8, y, class: cls }, fit(text, width), svg('title', { text }));
}

function curve(x1, y1, x2, y2, cls, data) {
  const mx = (x1 + x2) / 2;
  return svg('path', { d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`, class: cls, ...data });
}

// The graph's model from the spec: sources with the columns the product
// reads, steps, the target's columns, and each column's sources.
function model(spec) {
  const lin = spec.lineage || {};
  const byTable = new Map((spec.source_datasets || []).map((d) => [d.table, d]));
  const sources = (lin.upstream || []).map((table) => {
    const d = byTable.get(table) || {};
    return { table, name: d.name || table, rows: d.row_count, cols: [...(d.columns_used || [])] };
  });
  const byName = new Map(sources.map((s) => [s.name, s]));
  const columns = lin.columns || [];
  for (const c of columns) {
    for (const ref of c.sources || []) {
      const dot = ref.lastIndexOf('.');
      const s = byName.get(ref.slice(0, dot));
      if (s && !s.cols.includes(ref.slice(dot + 1))) s.cols.push(ref.slice(dot + 1));
    }
  }
  // a step reads its dataset and the datasets its join paths go through
  // ("a -[entity]-> b -[entity]-> c")
  const steps = ((spec.transformation || {}).ctes || []).map((c) => ({
    name: c.name, dataset: c.dataset, measures: c.measures || [],
    joins: [...new Set((c.join_paths || []).flatMap((j) => String(j.path || '').split(/\s*-\[[^\]]*\]->\s*/)).filter((d) => d && d !== c.dataset))],
  }));
  const tcols = ((spec.data_model || {}).columns || []).map((c) => c.name);
  return { sources, steps, target: lin.target || '', tcols, columns };
}

export function lineageView(spec) {
  const m = model(spec);
  const root = el('div.lineage');
  const detail = el('p.muted', { 'aria-live': 'polite' }, 'Choose a column of the target to see which source columns it comes from.');
  const g = svg('g');
  const colEdges = svg('g', { class: 'col-edges' });
  const srcRow = new Map(); // "dataset.col" -> [x, y]
  const tgtRow = new Map();
  let y = 8;
  const srcBox = new Map();
  for (const s of m.sources) {
    const [x, w] = COLS.src;
    const top = HEAD + ROW; // the table's name, then its rows
    const h = top + s.cols.length * ROW + 6;
    g.append(svg('rect', { x, y, width: w, height: h, rx: 6, class: 'node src' }),
      label(x, y + 19, s.table, w, 'head'),
      label(x, y + 37, s.rows != null ? `${s.rows.toLocaleString('en-US')} rows` : 'rows not profiled', w, 'sub'));
    s.cols.forEach((c, i) => {
      const cy = y + top + i * ROW + 12;
      g.append(label(x, cy, c, w, 'col'));
      srcRow.set(s.name + '.' + c, [x + w, cy - 4]);
    });
    srcBox.set(s.name, [x + w, y + 15]);
    y += h + GAP;
  }
  const height1 = y;
  y = 8;
  const stepBox = new Map();
  const joinedBy = new Map(); // a dataset joined inside a step -> that step's box
  for (const st of m.steps) {
    const [x, w] = COLS.step;
    const h = st.joins.length ? 66 : 48;
    g.append(svg('rect', { x, y, width: w, height: h, rx: 6, class: 'node step' }),
      label(x, y + 19, st.name, w, 'head'),
      label(x, y + 38, `${st.measures.length} measure(s) from ${st.dataset}`, w, 'col'),
      ...(st.joins.length ? [label(x, y + 56, 'joined with ' + st.joins.join(', '), w, 'sub')] : []));
    const box = [x, y + 15, x + w];
    stepBox.set(st.dataset, box);
    for (const d of st.joins) if (!joinedBy.has(d)) joinedBy.set(d, box);
    st.box = box;
    y += h + GAP;
  }
  const [tx, tw] = COLS.tgt;
  const th = HEAD + m.tcols.length * ROW + 6;
  g.append(svg('rect', { x: tx, y: 8, width: tw, height: th, rx: 6, class: 'node tgt' }),
    label(tx, 27, m.target, tw, 'head'));
  const edges = svg('g', { class: 'edges' });
  for (const s of m.sources) {
    const [x1, y1] = srcBox.get(s.name);
    const joined = !stepBox.has(s.name) && joinedBy.get(s.name);
    const step = stepBox.get(s.name) || joined;
    const to = step ? step[0] : tx;
    edges.append(curve(x1, y1, to, step ? step[1] : 23, joined ? 'edge joined' : 'edge',
      { 'data-kind': 'source', 'data-from': s.table, 'data-to': step ? 'step' : 'target' }));
  }
  for (const st of m.steps) {
    const [, sy, sx2] = st.box;
    edges.append(curve(sx2, sy, tx, 23, 'edge', { 'data-kind': 'step', 'data-from': st.name }));
  }
  const byCol = new Map(m.columns.map((c) => [c.column, c]));
  let chosen = null;
  const show = (name, row) => {
    clear(colEdges);
    if (chosen) chosen.classList.remove('chosen');
    chosen = row;
    row.classList.add('chosen');
    const c = byCol.get(name);
    const [x2, y2] = tgtRow.get(name);
    for (const ref of (c && c.sources) || []) {
      const from = srcRow.get(ref);
      if (from) colEdges.append(curve(from[0], from[1], x2, y2, 'col-edge', { 'data-from': ref }));
    }
    clear(detail, el('strong', { text: name }), c ? ` = ${c.expression} (from ${(c.sources || []).join(', ') || 'no source column'})` : ': no column lineage recorded');
  };
  m.tcols.forEach((name, i) => {
    const cy = 8 + HEAD + i * ROW + 12;
    tgtRow.set(name, [tx, cy - 4]);
    const row = svg('g', { class: 'trow', tabindex: '0', role: 'button', 'aria-label': `column ${name}: show its sources` },
      svg('rect', { x: tx + 2, y: cy - 13, width: tw - 4, height: ROW, class: 'hit' }),
      label(tx, cy, name, tw, 'col'));
    row.addEventListener('click', () => show(name, row));
    row.addEventListener('mouseenter', () => show(name, row));
    row.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); show(name, row); }
    });
    g.append(row);
  });
  const H = Math.max(height1, y, th + 16);
  const pic = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'group', 'aria-label': `lineage: ${m.sources.length} source(s), ${m.steps.length} step(s), target ${m.target}`, class: 'lineage-svg' },
    edges, colEdges, g);
  root.append(el('div.scroll', {}, pic), detail);
  return root;
}
