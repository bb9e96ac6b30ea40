// The page's entry: hash routes (#/, #/history, #/catalog, #/run/ID), the
// request form with its suggestions, the run watched through the API's event
// stream, the clarification dialog and the review.
import { el, $, clear, api, call, catalogOnce } from './util.js';
import { reviewView, stageItem } from './review.js';
import { initSuggest } from './suggest.js';
import { historyPage, catalogPage, examples } from './pages.js';

const state = { choose: [], last: null, saved: null };

const titles = { ask: 'dpgen', history: 'History \u00b7 dpgen', catalog: 'Catalog \u00b7 dpgen' };

function show(page) {
  const moved = $('#page-' + page).hidden;
  for (const p of ['ask', 'history', 'catalog']) $('#page-' + p).hidden = p !== page;
  document.title = titles[page];
  // a page change by link: focus goes to its heading, as a new page's would
  if (moved && page !== 'ask') $(`#${page}-title`).focus();
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function fail(msg) {
  const box = $('#ask-error');
  box.textContent = msg;
  box.hidden = !msg;
}

function busy(on) {
  $('#submit').disabled = on;
  $('#submit').textContent = on ? 'Running\u2026' : 'Generate';
  $('#review').setAttribute('aria-busy', on ? 'true' : 'false');
}

function options(fresh) {
  const o = { dialect: $('#dialect').value };
  if (fresh) o.fresh = true;
  if ($('#as-of').value) o.as_of = $('#as-of').value;
  if (state.choose.length) o.choose = [...state.choose];
  return o;
}

// The shareable address of a request: ?q=...&dialect=...&as_of=... on the
// page's own path. Every address the page uses is relative, so it also
// works behind a proxy that serves it under a prefix.
function shareUrl(text) {
  const p = new URLSearchParams({ q: text });
  if ($('#dialect').value !== 'duckdb') p.set('dialect', $('#dialect').value);
  if ($('#as-of').value) p.set('as_of', $('#as-of').value);
  return location.pathname + '?' + p.toString();
}

// Reads an event stream from a fetch response: calls on(event, data) for
// each complete event.
async function readEvents(res, on) {
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let cut;
    while ((cut = buf.search(/\r?\n\r?\n/)) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut).replace(/^\r?\n\r?\n/, '');
      let event = 'message';
      const data = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) on(event, JSON.parse(data.join('\n')));
    }
  }
}

// Runs the request in the box (or the catalog's saved query named by
// saved): stages as they end, then the review, the clarification dialog or
// the error (the request text is never lost).
export async function submit(saved, fresh) {
  const text = saved ? '' : $('#request').value.trim();
  if (!text && !saved) {
    fail('Write a request first.');
    $('#request').focus();
    return;
  }
  fail('');
  openSeq++; // a stored run still loading must not replace this one
  if (state.last !== (saved || text)) state.choose = [];
  state.last = saved || text;
  state.saved = saved || null;
  // a new entry per request, so Back returns to the run before
  const url = saved ? location.pathname + '?saved_query=' + encodeURIComponent(saved) : shareUrl(text);
  if (/^#\/run\//.test(location.hash)) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
  const opts = options(fresh);
  if (saved) opts.saved_query = saved;
  busy(true);
  $('#learn').hidden = true;
  clear($('#review'));
  clear($('#stages'));
  $('#stages-box').hidden = false;
  let final = null;
  try {
    const res = await call('v1/data-products', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify(saved ? { options: opts } : { request: text, options: opts }),
    });
    const type = res.headers.get('Content-Type') || '';
    if (!type.startsWith('text/event-stream')) {
      let body = null;
      try { body = await res.json(); } catch { body = null; }
      final = res.status === 422 ? ['clarification', body] : ['error', (body && body.error) || { message: 'the server answered ' + res.status, code: 'http_' + res.status }];
    } else {
      await readEvents(res, (ev, data) => {
        if (ev === 'stage') $('#stages').append(stageItem(data));
        else final = [ev, data];
      });
    }
  } catch (e) {
    final = ['error', { message: 'the server could not be reached (' + e.message + ')' }];
  }
  busy(false);
  if (!final) final = ['error', { message: 'the answer ended before its result' }];
  const [ev, data] = final;
  if (ev === 'result') {
    openRun(data, true);
  } else if (ev === 'clarification') {
    clarify(data);
  } else {
    const err = data.error || data;
    fail(`dpgen could not answer: ${err.message}${err.code ? ' (' + err.code + ')' : ''}`);
  }
}

function openRun(run, fresh) {
  clear($('#review'), reviewView(run));
  document.title = ((run.data_product_spec.metadata || {}).name || 'run') + ' \u00b7 dpgen';
  if (fresh) {
    if (location.hash !== '#/run/' + run.run_id) history.replaceState(null, '', location.pathname + location.search + '#/run/' + run.run_id);
    offerLearn();
  }
  $('#summary-h').setAttribute('tabindex', '-1');
  $('#summary-h').focus();
}

// "Run afresh" on a stored answer: the same request, not answered from the store.
document.addEventListener('dpgen-fresh', () => submit(state.saved || undefined, true));

// After an answer that needed choices: offer to remember each as a synonym
// of the catalog, so the plain request answers next time.
function offerLearn() {
  const box = $('#learn');
  // "phrase=name": a name has no '=', a phrase may
  const picks = state.choose.map((c) => [c.slice(0, c.lastIndexOf('=')), c.slice(c.lastIndexOf('=') + 1)]).filter(([p, n]) => p && n);
  if (!picks.length) { box.hidden = true; return; }
  const status = el('span', { role: 'status' });
  clear(box, el('p', {}, 'Remember your choice for this catalog, so the plain request answers next time?'),
    picks.map(([phrase, name]) => el('button', {
      type: 'button',
      'data-learn': phrase,
      onclick: async (e) => {
        e.target.disabled = true;
        try {
          await api('v1/catalog/synonyms', { method: 'POST', body: { phrase, name } });
          status.textContent = ` Learned: \u201c${phrase}\u201d now means ${name}.`;
          state.choose = state.choose.filter((c) => c !== phrase + '=' + name);
        } catch (err) {
          status.textContent = ` Not learned: ${err.message}`;
          e.target.disabled = false;
        }
      },
    }, `Remember \u201c${phrase}\u201d as ${name}`)), status);
  box.hidden = false;
}

// One element of the reading (a name, or an object naming one) as text.
function named(x) {
  if (typeof x === 'string') return x;
  if (!x || typeof x !== 'object') return String(x ?? '');
  const base = x.name || x.metric || x.dimension || x.entity || x.phrase || JSON.stringify(x);
  return x.dimension_candidates && !x.dimension ? `${base} (one of ${x.dimension_candidates.join(', ')})` : base;
}

function readingList(r) {
  const items = [];
  const list = (xs) => (xs || []).map(named).filter(Boolean).join(', ');
  if ((r.metrics || []).length) items.push(['Measures', list(r.metrics)]);
  if ((r.dimensions || []).length) items.push(['Grouped by', list(r.dimensions)]);
  if (r.time_grain) items.push(['Time grain', r.time_grain]);
  if (r.time_range) {
    const t = r.time_range;
    items.push(['Time range', `${t.text ? t.text + ': ' : ''}${t.start || '\u2026'} to ${t.end || '\u2026'}${t.bounds ? ' ' + t.bounds : ''}`]);
  }
  for (const f of r.filters || []) {
    items.push(['Filter', `${named(f)} ${f.operator || ''} ${(f.values || []).join(', ')}`.trim()]);
  }
  for (const c of r.conditions || []) items.push(['Condition', c.text || c.phrase || JSON.stringify(c)]);
  if (r.order) items.push(['Order', typeof r.order === 'string' ? r.order : JSON.stringify(r.order)]);
  return items.length ? el('dl.facts', {}, items.map(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]))
    : el('p.muted', { text: 'Nothing of the request could be placed yet.' });
}

// The 422: the question, the reading, the words not placed, a button per
// candidate; choosing answers that phrase and re-runs when all are chosen.
function clarify(body) {
  const c = (body && body.clarification) || {};
  const dlg = $('#clarify');
  const cands = c.candidates || {};
  const phrases = Object.keys(cands);
  const picked = {};
  const groups = phrases.map((phrase) => el('fieldset.cands', {},
    el('legend', {}, 'What does \u201c', el('strong', { text: phrase }), '\u201d mean?'),
    el('div.row.wrap', {}, cands[phrase].map((k) => el('button', {
      type: 'button',
      'data-choose': k.name,
      'aria-pressed': 'false',
      onclick: (e) => {
        picked[phrase] = k.name;
        for (const b of e.target.parentNode.children) b.setAttribute('aria-pressed', b === e.target ? 'true' : 'false');
        if (phrases.every((p) => picked[p])) {
          state.choose = [...state.choose.filter((x) => !phrases.some((p) => x.startsWith(p + '='))),
            ...phrases.map((p) => p + '=' + picked[p])];
          dlg.close('chosen');
          submit(state.saved || undefined);
        }
      },
    }, k.label && k.label !== k.name ? `${k.name} (${k.label})` : k.name)))));
  clear($('#clarify-body'),
    el('p', { text: c.question || 'The request could not be placed in the catalog.' }),
    el('h3', { text: 'The reading dpgen would use' }), readingList(c.reading || {}),
    (c.unplaced || []).length ? [el('h3', { text: 'Words it could not place' }),
      el('ul', {}, c.unplaced.map((u) => el('li', {}, el('strong', { text: u.phrase }), u.role ? ` (as a ${u.role})` : '',
        u.unsupported ? `: ${u.unsupported}` : '')))] : null,
    phrases.length ? [el('h3', { text: 'Choose' }), groups] : el('p', { text: 'The catalog has no candidate: rephrase the request.' }));
  fail('dpgen needs an answer before it can build this product: ' + (c.question || ''));
  dlg.showModal();
  const first = dlg.querySelector('[data-choose]');
  if (first) first.focus();
}

let openSeq = 0; // the run asked for last: an older one arriving late is dropped

async function openStored(id) {
  const mine = ++openSeq;
  show('ask');
  fail('');
  $('#stages-box').hidden = false;
  clear($('#stages'));
  clear($('#review'), el('p.muted', { text: 'Loading the run\u2026' }));
  try {
    const { data } = await api('v1/runs/' + encodeURIComponent(id));
    if (mine !== openSeq) return;
    $('#request').value = data.request || '';
    state.last = data.request;
    const stages = (data.trace && data.trace.stages) || [];
    for (const s of stages) $('#stages').append(stageItem(s));
    if (data.data_product_spec) {
      openRun({ run_id: data.run_id, data_product_spec: data.data_product_spec, agent_logs: stages,
        execution_time_ms: data.ms, warnings: [], cached: false }, false);
    } else {
      clear($('#review'), el('p', {}, `This run ended with status ${data.status}: ${data.message || ''}`));
      if (data.clarification) clarify({ clarification: data.clarification });
    }
  } catch (e) {
    clear($('#review'));
    fail(`The run could not be opened: ${e.message}`);
  }
}

function route() {
  const h = location.hash || '#/';
  const run = /^#\/run\/(.+)$/.exec(h);
  if (run) return openStored(decodeURIComponent(run[1]));
  if (h === '#/history') { show('history'); return historyPage(); }
  if (h === '#/catalog') { show('catalog'); return catalogPage((name) => { location.hash = '#/'; submit(name); }); }
  show('ask');
}

// The catalog the server answers from: its size and generation, in the header.
async function catalogStatus() {
  const box = $('#catalog-status');
  try {
    const res = await call('readyz');
    const d = await res.json();
    if (!res.ok) {
      box.textContent = 'catalog loading\u2026';
      setTimeout(catalogStatus, 1000);
      return;
    }
    const c = await catalogOnce();
    box.textContent = `catalog: ${c.datasets.length} datasets, ${c.metrics.length} metrics, ${c.terms.length} terms (generation ${d.catalog_generation})`;
  } catch {
    box.textContent = 'server unreachable';
  }
}

function start() {
  const p = new URLSearchParams(location.search);
  if (p.get('dialect')) $('#dialect').value = p.get('dialect');
  if (p.get('as_of')) $('#as-of').value = p.get('as_of');
  $('#ask').addEventListener('submit', (e) => { e.preventDefault(); submit(); });
  $('#history-form').addEventListener('submit', (e) => { e.preventDefault(); historyPage(); });
  $('#history-status').addEventListener('change', () => historyPage());
  $('#clarify').addEventListener('close', () => { $('#request').focus(); });
  initSuggest($('#request'), $('#suggest'));
  // popstate comes for links to #/... and for Back and Forward alike
  window.addEventListener('popstate', route);
  catalogStatus();
  examples($('#examples'), (text) => { $('#request').value = text; submit(); }, (name) => submit(name));
  const direct = !/^#\/run\//.test(location.hash);
  if (p.get('q') && direct) {
    $('#request').value = p.get('q');
    show('ask');
    submit();
  } else if (p.get('saved_query') && direct) {
    show('ask');
    submit(p.get('saved_query'));
  } else {
    route();
  }
}

start();
