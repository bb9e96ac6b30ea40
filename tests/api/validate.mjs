// Checks the REST API against its OpenAPI document:
//   node validate.mjs path/to/openapi.json [responses.jsonl]
// 1. the document is valid OpenAPI 3.1 against the official schema-base
//    (its Schema Objects are checked against the OAS 3.1 dialect too);
// 2. every recorded response ({"method","route","status","body"} per line,
//    as tests/e2e/serve.sh records them) has its status documented for the
//    route and a body valid against the documented schema.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { validate } from '@hyperjump/json-schema/openapi-3-1';

const [docPath, logPath] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(docPath, 'utf8'));
let failures = 0;
const fail = (msg) => { failures++; console.log(`FAIL ${msg}`); };
const explain = (out) => JSON.stringify(out.errors ?? out).slice(0, 800);

const whole = await validate('https://spec.openapis.org/oas/3.1/schema-base', doc, 'BASIC');
if (whole.valid) console.log('ok   openapi.json is valid OpenAPI 3.1 (official schema-base)');
else fail(`openapi.json is not valid OpenAPI 3.1: ${explain(whole)}`);

if (logPath) {
  // the file's name must end in openapi.json for the validator to read it as one
  const uri = pathToFileURL(resolve(docPath)).href;
  const ptr = (s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'));
  let n = 0;
  for (const line of readFileSync(logPath, 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line);
    const method = r.method.toLowerCase();
    const op = doc.paths[r.route]?.[method];
    const where = `${r.method} ${r.route} -> ${r.status}`;
    if (!op) { fail(`${where}: route not documented`); continue; }
    const resp = op.responses[String(r.status)];
    if (!resp) { fail(`${where}: status not documented`); continue; }
    if (!resp.content?.['application/json']) continue; // a text body (/metrics)
    const at = `${uri}#/paths/${ptr(r.route)}/${method}/responses/${r.status}/content/${ptr('application/json')}/schema`;
    const out = await validate(at, r.body, 'BASIC');
    n++;
    if (!out.valid) fail(`${where}: ${explain(out)}`);
  }
  console.log(`ok   ${n} JSON responses valid against their documented schemas`);
}
process.exit(failures ? 1 : 0);
