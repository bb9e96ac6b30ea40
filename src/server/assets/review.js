// The review of one answered run: summary, downloads, data model, SQL,
// sample rows, quality rules, SLA, lineage, stage times, the agents' log and
// the YAML. Everything shown is read from the spec the API returned.
import { el, svg, table, badge, ms, num, call } from './util.js';
import { sqlTokens, yamlTokens, highlight } from './hl.js';
import { lineageView } from './lineage.js';

function section(id, title, ...body) {
  return el('section.card', { id, 'aria-labelledby': id + '-h' }, el('h2', { id: id + '-h', text: title }), body);
}

function copyButton(text, what) {
  const status = el('span.muted.small', { role: 'status' });
  const b = el('button', {
    type: 'button',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(text);
        status.textContent = 'Copied.';
      } catch {
        status.textContent = 'Copy failed: select the text and copy it.';
      }
    },
  }, 'Copy ' + what);
  return el('span', {}, b, ' ', status);
}

function summary(run, spec) {
  const md = spec.metadata || {};
  const dm = spec.data_model || {};
  const tr = (spec.transformation || {}).test_run || {};
  const ex = spec.execution || {};
  const src = (spec.source_datasets || []).map((d) => el('li', {}, el('code', { text: d.table }), ` \u2014 ${num(d.row_count)} rows`));
  const warns = [...(run.warnings || []), ...(tr.warnings || [])];
  return section('summary', md.name || 'Data product',
    el('dl.facts', {},
      el('dt', { text: 'Grain' }), el('dd', { text: dm.grain || '' }),
      el('dt', { text: 'Target table' }), el('dd', {}, el('code', { text: dm.target_table || '' })),
      el('dt', { text: 'Sources' }), el('dd', {}, el('ul.plain', {}, src)),
      el('dt', { text: 'Test run' }), el('dd', { text: `${num(tr.rows)} rows in ${ms(tr.ms)} (${tr.engine || ''})` }),
      el('dt', { text: 'End to end' }), el('dd', {}, ms(ex.total_ms ?? run.execution_time_ms),
        run.cached ? [` when it ran; answered now from the stored run of the same request in ${ms(run.execution_time_ms)}. `,
          el('button', { type: 'button', 'data-fresh': '', onclick: () => document.dispatchEvent(new CustomEvent('dpgen-fresh')) }, 'Run afresh')] : null),
      el('dt', { text: 'Dialect' }), el('dd', { text: (spec.transformation || {}).dialect || '' }),
      el('dt', { text: 'Run' }), el('dd', {}, el('a', { href: '#/run/' + run.run_id, text: run.run_id }))),
    md.description ? el('p', { text: md.description }) : null,
    warns.length ? el('ul.warnings', {}, [...new Set(warns)].map((w) => el('li', {}, badge('warn', 'warning'), ' ', w))) : null);
}

function downloads(run) {
  const base = 'v1/runs/' + encodeURIComponent(run.run_id) + '/';
  const name = (run.data_product_spec.metadata || {}).name || 'spec';
  const links = [['spec.yaml', 'YAML', name + '.yaml'], ['spec.json', 'JSON', name + '.json'],
    ['README.md', 'Markdown', name + '.md'], ['exports.zip', 'All exports (zip)', name + '.zip']];
  const status = el('p.muted.small', { role: 'status' });
  // A link when no key is needed; with a key the file is fetched with it.
  const items = links.map(([doc, text, file]) => el('a.button', {
    href: base + doc, download: file, 'data-doc': doc,
    onclick: async (e) => {
      if (!sessionStorage.getItem('dpgen-key')) return;
      e.preventDefault();
      const res = await call(base + doc);
      if (!res.ok) { status.textContent = `${text}: the server answered ${res.status}`; return; }
      const a = el('a', { href: URL.createObjectURL(await res.blob()), download: file });
      a.click();
    },
  }, text));
  return section('downloads', 'Download', el('div.row.wrap', {}, items), status,
    el('p.muted.small', { text: 'The zip holds the dbt model and tests, the Great Expectations suite, the ODCS contract, the Airflow DAG, OpenLineage and the SQL; it is refused when the catalog changed since the run.' }));
}

function dataModel(spec) {
  const cols = (spec.data_model || {}).columns || [];
  return section('model', 'Data model',
    table(['Column', 'Type', 'Role', 'Description', 'Constraints'],
      cols.map((c) => [el('code', { text: c.name }), c.type,
        c.role + (c.primary_key ? ' (key)' : '') + (c.proposed_by === 'llm' ? ' (language model)' : ''),
        c.description || '', (c.constraints || []).join(', ')]), 'Columns of ' + ((spec.data_model || {}).target_table || 'the target')),
    ((spec.data_model || {}).constraints || []).length
      ? el('p.small', {}, 'Table constraints: ', spec.data_model.constraints.map((c, i) => [i ? ', ' : '', el('code', { text: c })]))
      : null);
}

function sqlView(spec) {
  const tx = spec.transformation || {};
  const sql = tx.sql || '';
  const g = tx.generator;
  // SQL a language model wrote is said before it is shown, with what it passed
  const by = g ? el('div.notice', { 'data-generator': g.name },
    el('p', {}, badge('warn', 'language model'), ' ',
      `This SQL was written by a language model (${g.model || 'unnamed'}, attempt ${g.attempts}) for "${g.calculation}", ` +
      `then checked by dpgen; confidence ${g.confidence}. Its ${g.base_metric} was reconciled with the compiler's; ` +
      'the calculation itself was only run.'),
    el('ul.small', {}, (g.checks || []).map((c) => el('li', { text: c })))) : null;
  return section('sql', 'SQL', by, el('div.row', {}, copyButton(sql, 'SQL')), highlight(sqlTokens(sql), 'SQL'));
}

function sample(spec) {
  const tr = (spec.transformation || {}).test_run || {};
  const rows = tr.sample_rows || [];
  const head = (tr.result_schema || []).map((c) => c.name);
  const cols = head.length ? head : Object.keys(rows[0] || {});
  return section('sample', 'Sample rows',
    rows.length ? table(cols, rows.map((r) => cols.map((c) => r[c] ?? 'NULL')), `${rows.length} of ${num(tr.rows)} rows`)
      : el('p', { text: 'The test run returned no rows.' }));
}

// pass, warn (a failed warn rule) or fail (a failed error rule); other
// statuses (not run, errors) are shown as they are.
function verdict(rule) {
  const st = (rule.result || {}).status;
  if (st === 'passed') return 'pass';
  if (st === 'failed') return rule.severity === 'error' ? 'fail' : 'warn';
  return st || 'unknown';
}

const rank = (v) => ({ fail: 0, warn: 1, pass: 3 }[v] ?? 2);

function quality(spec) {
  const rules = (spec.quality || {}).rules || [];
  const groups = new Map();
  for (const r of rules) {
    if (!groups.has(r.severity)) groups.set(r.severity, []);
    groups.get(r.severity).push(r);
  }
  const counts = {};
  for (const r of rules) counts[verdict(r)] = (counts[verdict(r)] || 0) + 1;
  return section('quality', 'Quality rules',
    el('p', {}, `${rules.length} rules: `, Object.entries(counts).map(([k, n]) => [badge(k, `${n} ${k}`), ' '])),
    // within a severity, the rules that failed first (the spec's order otherwise)
    [...groups].map(([sev, list]) => [sev, [...list].sort((a, b) => rank(verdict(a)) - rank(verdict(b)))]).map(([sev, list]) => el('div.group', {},
      el('h3', { text: `${sev} (${list.length})` }),
      el('ul.rules', {}, list.map((r) => {
        const res = r.result || {};
        const v = verdict(r);
        const ex = res.examples || [];
        return el('li', { 'data-rule': r.id, 'data-verdict': v },
          badge(v), ' ', el('code', { text: r.id }), ' ', r.description || r.definition || r.type,
          res.failing_rows ? el('span.fails', { text: ` \u2014 ${num(res.failing_rows)} failing row(s)` }) : null,
          el('details', {},
            el('summary', { text: ex.length ? `Definition and ${ex.length} example row(s)` : 'Definition' }),
            el('p.small', {}, 'Checks ', el('code', { text: r.definition || '' }), ` (${r.type}, from ${r.source}${r.dataset ? ', on ' + r.dataset : ''})`),
            highlight(sqlTokens(r.sql || ''), 'rule SQL'),
            ex.length ? table(Object.keys(ex[0]), ex.map((row) => Object.values(row).map((c) => c ?? 'NULL')), 'Failing rows') : null));
      })))));
}

function sla(spec) {
  const s = spec.sla || {};
  const items = Object.entries(s).filter(([k]) => k !== 'current');
  const cur = s.current || {};
  return section('sla', 'SLA',
    el('dl.facts', {}, items.map(([k, v]) => [el('dt', { text: k }),
      el('dd', {}, (v && v.target) || '', v && v.measured_by ? el('span.muted', { text: ` (measured by ${v.measured_by})` }) : null)])),
    s.current ? el('p.small', { text: `Now: ${cur.error_rules_failed}/${cur.error_rules} error rules failed, ${cur.warn_rules_failed}/${cur.warn_rules} warn rules failed.` }) : null);
}

function stageChart(stages) {
  const max = Math.max(1, ...stages.map((s) => s.ms || 0));
  const rowH = 22, lw = 130, bw = 600;
  const pic = svg('svg', { viewBox: `0 0 ${lw + bw + 110} ${stages.length * rowH + 4}`, class: 'bars', role: 'img',
    'aria-label': 'time of each stage: ' + stages.map((s) => `${s.stage} ${ms(s.ms)}`).join(', ') });
  stages.forEach((s, i) => {
    const w = Math.max(1, (bw * (s.ms || 0)) / max);
    const y = i * rowH + 2;
    pic.append(svg('text', { x: 0, y: y + 15, text: s.stage }),
      svg('rect', { x: lw, y, width: w, height: rowH - 6, class: 'bar' }),
      svg('text', { x: lw + w + 6, y: y + 15, text: ms(s.ms) }));
  });
  return section('times', 'Time by stage', el('div.scroll', {}, pic));
}

export function stageItem(s) {
  const kind = s.status === 'ok' ? 'pass' : s.status === 'skipped' ? 'skip' : 'fail';
  return el('li', { 'data-stage': s.stage, 'data-status': s.status },
    el('details', {},
      el('summary', {}, badge(kind, s.status), ' ', el('strong', { text: s.stage }), ' ',
        el('span.muted', { text: ms(s.ms) }),
        s.error ? el('span.err', { text: ' \u2014 ' + (s.error.message || s.error) }) : null),
      (s.decisions || []).length ? el('ul', {}, s.decisions.map((d) => el('li', { text: d }))) : el('p.muted.small', { text: 'No decisions recorded.' }),
      (s.warnings || []).length ? el('ul.warnings', {}, s.warnings.map((w) => el('li', {}, badge('warn', 'warning'), ' ', w))) : null));
}

function agentLog(stages) {
  return section('log', "Agents' log",
    el('details', {}, el('summary', { text: `All ${stages.length} stages, with their decisions` }),
      el('pre.code.log', { tabindex: '0' }, JSON.stringify(stages, null, 2))));
}

function yamlView(yaml) {
  const box = section('yaml', 'YAML');
  if (yaml === null) {
    box.append(el('p.muted', { text: 'Loading\u2026' }));
    return box;
  }
  box.append(el('div.row', {}, copyButton(yaml, 'YAML')), highlight(yamlTokens(yaml), 'YAML'));
  return box;
}

// The whole review of an answered run {run_id, data_product_spec,
// agent_logs, yaml_output?, warnings, cached}; yaml_output missing means
// it is fetched from the stored run.
export function reviewView(run) {
  const spec = run.data_product_spec;
  const stages = run.agent_logs || (spec.execution || {}).stages || [];
  const root = el('div.review', { 'data-run': run.run_id },
    summary(run, spec), downloads(run), dataModel(spec), sqlView(spec), sample(spec), quality(spec), sla(spec),
    section('lineage', 'Lineage', lineageView(spec)), stageChart(stages), agentLog(stages),
    yamlView(run.yaml_output ?? null));
  if (run.yaml_output == null) {
    call('v1/runs/' + encodeURIComponent(run.run_id) + '/spec.yaml').then(async (res) => {
      const text = res.ok ? await res.text() : null;
      const box = root.querySelector('#yaml');
      box.replaceWith(text === null ? section('yaml', 'YAML', el('p.error', { text: 'The YAML could not be read: ' + res.status })) : yamlView(text));
    });
  }
  return root;
}
