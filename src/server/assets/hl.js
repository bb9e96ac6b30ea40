// Syntax highlighting of SQL and YAML by a small tokenizer: the text is cut
// into spans with a class each (never parsed as HTML), so what is shown is
// exactly the text, and copying it copies the text.
import { el } from './util.js';

const SQL_WORDS = new Set(('select from where group by order having limit offset join left right inner outer full ' +
  'cross on using as and or not in is null case when then else end with distinct union all except intersect ' +
  'between like ilike exists cast asc desc nulls first last over partition rows range preceding following ' +
  'current row true false interval filter within values insert into create table view replace lateral ' +
  'coalesce nullif sum count avg min max date_trunc extract round').split(' '));

// [class, text] pairs of SQL: comments, strings, quoted names, numbers,
// words (keywords or names), operators and punctuation, spaces.
export function sqlTokens(src) {
  const re = /(--[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|('(?:[^']|'')*'?)|("(?:[^"]|"")*"?)|(\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b)|([A-Za-z_][A-Za-z0-9_$]*)|(\s+)|([^\sA-Za-z0-9_'"]+|\d+)/gy;
  const out = [];
  let m;
  while (re.lastIndex < src.length && (m = re.exec(src))) {
    if (m[1]) out.push(['c', m[1]]);
    else if (m[2]) out.push(['s', m[2]]);
    else if (m[3]) out.push(['q', m[3]]);
    else if (m[4]) out.push(['n', m[4]]);
    else if (m[5]) out.push([SQL_WORDS.has(m[5].toLowerCase()) ? 'k' : '', m[5]]);
    else if (m[6]) out.push(['', m[6]]);
    else out.push(['p', m[7]]);
  }
  if (re.lastIndex < src.length) out.push(['', src.slice(re.lastIndex)]);
  return out;
}

// [class, text] pairs of YAML, line by line: comments, keys, strings,
// numbers and literals, list dashes; the rest plain.
export function yamlTokens(src) {
  const out = [];
  for (const whole of src.split(/(?<=\n)/)) {
    const nl = whole.endsWith('\n') ? '\n' : '';
    const line = nl ? whole.slice(0, -1) : whole;
    const [lead] = /^\s*(?:- )*/.exec(line);
    let rest = line.slice(lead.length);
    const indent = /^\s*/.exec(lead)[0];
    out.push(['', indent]);
    if (lead.length > indent.length) out.push(['p', lead.slice(indent.length)]);
    const key = /^([^\s"'#][^#]*?|"[^"]*"|'[^']*'):(?=\s|$)/.exec(rest);
    if (rest.startsWith('#')) {
      out.push(['c', rest]);
      rest = '';
    } else if (key) {
      out.push(['k', key[1]], ['p', ':']);
      rest = rest.slice(key[0].length);
    }
    if (rest) out.push(...yamlValue(rest));
    out.push(['', nl]);
  }
  return out;
}

function yamlValue(v) {
  const m = /^(\s*)(.*?)(\s+#.*)?$/s.exec(v);
  const [, sp, body, comment] = m;
  const out = [['', sp]];
  if (/^(["']).*\1$/s.test(body)) out.push(['s', body]);
  else if (/^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null|~)$/.test(body)) out.push(['n', body]);
  else if (/^[|>][-+]?$/.test(body) || /^[[{]/.test(body)) out.push(['p', body]);
  else out.push(['', body]);
  if (comment) out.push(['c', comment]);
  return out;
}

// A <pre><code> of the tokens, one span per classed token.
export function highlight(tokens, label) {
  const code = el('code', {});
  for (const [cls, text] of tokens) {
    if (!text) continue;
    code.append(cls ? el('span.t-' + cls, { text }) : document.createTextNode(text));
  }
  return el('pre.code', { tabindex: '0', 'aria-label': label }, code);
}
