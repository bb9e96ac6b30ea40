// Small helpers of the page: building elements, calling the /v1 API (with a
// key when the server asks for one), formatting numbers and times.

// el('tag.class', {attr: value, onclick: fn}, child, ...): children are
// nodes or text (never parsed as HTML), arrays are flattened, null skipped.
export function el(spec, attrs, ...kids) {
  const [tag, ...cls] = spec.split('.');
  const e = document.createElement(tag);
  if (cls.length) e.className = cls.join(' ');
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  append(e, kids);
  return e;
}

function append(e, kids) {
  for (const k of kids) {
    if (k === null || k === undefined || k === false) continue;
    if (Array.isArray(k)) append(e, k);
    else e.append(k instanceof Node ? k : String(k));
  }
}

const SVGNS = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs, ...kids) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  append(e, kids);
  return e;
}

export const $ = (sel) => document.querySelector(sel);

export function clear(node, ...kids) {
  node.replaceChildren();
  append(node, kids);
  return node;
}

export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

// Asks for the key once for all the calls a 401 stopped at the same time.
let asking = null;
function askKey() {
  if (!asking) {
    asking = Promise.resolve().then(() => {
      const key = window.prompt('This server needs an API key:');
      if (key) sessionStorage.setItem('dpgen-key', key.trim());
      return !!key;
    }).finally(() => { asking = null; });
  }
  return asking;
}

// fetch with the key; a 401 asks for a key (unless another call has just
// got one) and retries once.
export async function call(path, init = {}) {
  for (let attempt = 0; ; attempt++) {
    const used = sessionStorage.getItem('dpgen-key');
    const headers = { ...(init.headers || {}), ...(used ? { Authorization: 'Bearer ' + used } : {}) };
    const res = await fetch(path, { ...init, headers });
    if (res.status === 401 && attempt === 0) {
      const now = sessionStorage.getItem('dpgen-key');
      if ((now && now !== used) || await askKey()) continue;
    }
    return res;
  }
}

// GET or POST JSON; non-2xx throws ApiError with the server's message,
// except the statuses listed in ok (their body is returned).
export async function api(path, { method = 'GET', body, ok = [] } = {}) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await call(path, init);
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (res.ok || ok.includes(res.status)) return { status: res.status, data };
  throw errorOf(res.status, data);
}

// GET /v1/catalog once for the header, the examples and the suggestions
// (a large catalog's listing is read once per page load; the catalog page
// reads it afresh).
let listing = null;
export function catalogOnce() {
  if (!listing) listing = api('v1/catalog').then((r) => r.data, (e) => { listing = null; throw e; });
  return listing;
}

export function errorOf(status, data) {
  const e = data && data.error;
  return new ApiError(status, e ? e.code : 'http_' + status,
    e ? e.message : 'the server answered ' + status, data);
}

export function ms(v) {
  if (v === null || v === undefined) return '';
  if (v < 1) return v.toFixed(2) + ' ms';
  if (v < 1000) return v.toFixed(v < 10 ? 1 : 0) + ' ms';
  return (v / 1000).toFixed(2) + ' s';
}

export function num(v) {
  return typeof v === 'number' ? v.toLocaleString('en-US') : String(v ?? '');
}

// A table from rows of objects (or arrays with head given): every cell text.
export function table(head, rows, caption) {
  return el('div.scroll', { tabindex: '0', role: 'region', 'aria-label': caption || 'table' },
    el('table', {},
      caption ? el('caption', { text: caption }) : null,
      el('thead', {}, el('tr', {}, head.map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, rows.map((r) => el('tr', {}, r.map((c) => el('td', {}, c ?? '')))))));
}

export function badge(kind, text) {
  return el('span.badge.b-' + kind, { text: text || kind });
}
