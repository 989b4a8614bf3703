// Validates HTTP responses against the contract docs/api/openapi.yaml (OpenAPI 3.1 = JSON Schema 2020-12).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { REPO_ROOT } from './server.js';

const SPEC_PATH = path.join(REPO_ROOT, 'docs', 'api', 'openapi.yaml');
export const spec = YAML.parse(readFileSync(SPEC_PATH, 'utf8'));
const SPEC_ID = 'otdel-openapi.json';

const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
addFormats(ajv);
// OpenAPI's numeric formats: ints must be safe integers in JavaScript to round-trip.
ajv.addFormat('int64', { type: 'number', validate: (n) => Number.isSafeInteger(n) });
ajv.addFormat('int32', { type: 'number', validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
ajv.addSchema({ ...spec, $id: SPEC_ID });

/** Statuses any operation may answer although the spec does not list them per operation. */
export const GLOBAL_PROBLEM_STATUSES = new Set([413, 429, 503]);

const pointerEscape = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function resolveRef(obj) {
  let cur = obj;
  let ptr = null;
  for (let i = 0; cur && cur.$ref && i < 10; i++) {
    if (!cur.$ref.startsWith('#/')) throw new Error(`external $ref not supported: ${cur.$ref}`);
    ptr = cur.$ref.slice(1);
    cur = cur.$ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((o, k) => (o == null ? o : o[k]), spec);
  }
  return { value: cur, pointer: ptr };
}

const compiled = new Map();
function validatorFor(pointer) {
  if (!compiled.has(pointer)) compiled.set(pointer, ajv.compile({ $ref: `${SPEC_ID}#${pointer}` }));
  return compiled.get(pointer);
}

/** The spec's path template matching a concrete path, e.g. /api/v1/api-tokens/7 -> /api/v1/api-tokens/{id}. */
export function matchPath(concretePath) {
  const parts = concretePath.split('/');
  for (const tpl of Object.keys(spec.paths)) {
    const tparts = tpl.split('/');
    if (tparts.length !== parts.length) continue;
    if (tparts.every((t, i) => (t.startsWith('{') && t.endsWith('}') ? parts[i] !== '' : t === parts[i]))) return tpl;
  }
  return null;
}

function check(pointer, body, what) {
  const v = validatorFor(pointer);
  if (!v(body)) {
    const errs = v.errors.map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n  ');
    throw new Error(`${what}: body does not match the OpenAPI schema ${pointer}:\n  ${errs}\n  body: ${JSON.stringify(body).slice(0, 2000)}`);
  }
}

const PROBLEM_POINTER = '/components/schemas/Problem';

/**
 * Checks one response against the contract. Throws (failing the test) on a mismatch:
 *  - a documented operation answering an undocumented status (except GLOBAL_PROBLEM_STATUSES),
 *  - a content type other than the documented one, a JSON body that does not match its schema,
 *  - any problem+json body (documented or not) that is not a valid Problem.
 * Returns 'operation' | 'problem' | 'unchecked' to say what was checked.
 */
export function validateResponse({ method, url, status, contentType, body }) {
  const pathname = new URL(url).pathname;
  const what = `${method} ${pathname} -> ${status}`;
  const mediaType = (contentType || '').split(';')[0].trim().toLowerCase();
  const isProblem = mediaType === 'application/problem+json';

  const tpl = matchPath(pathname);
  const op = tpl ? spec.paths[tpl][method.toLowerCase()] : null;
  if (op) {
    const declared = op.responses[String(status)] ?? op.responses.default;
    if (!declared) {
      if (isProblem && GLOBAL_PROBLEM_STATUSES.has(status)) {
        check(PROBLEM_POINTER, body, what);
        return 'problem';
      }
      throw new Error(`${what}: status ${status} is not documented for ${method} ${tpl} in openapi.yaml`);
    }
    const { value: resp, pointer: respPtr } = resolveRef(declared);
    const base = respPtr ?? `/paths/${pointerEscape(tpl)}/${method.toLowerCase()}/responses/${status}`;
    const content = resp.content || {};
    const types = Object.keys(content);
    if (types.length === 0) {
      if (body !== undefined && body !== null && body !== '') {
        throw new Error(`${what}: the spec documents no body, got ${JSON.stringify(body).slice(0, 200)}`);
      }
      return 'operation';
    }
    if (!types.includes(mediaType)) {
      throw new Error(`${what}: content type '${contentType}' is not one of the documented ${types.join(', ')}`);
    }
    if (mediaType.endsWith('json')) {
      check(`${base}/content/${pointerEscape(mediaType)}/schema`, body, what);
    }
    return 'operation';
  }
  if (isProblem) {
    check(PROBLEM_POINTER, body, what);
    return 'problem';
  }
  return 'unchecked';
}

/** Validates any value against a named component schema (e.g. an SSE event's data). */
export function validateSchema(name, value, what = name) {
  check(`/components/schemas/${pointerEscape(name)}`, value, what);
}
