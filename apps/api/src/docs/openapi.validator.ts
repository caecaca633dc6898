/**
 * A light structural check of an OpenAPI 3.0 document, and a matcher of JSON values against its
 * schemas — enough to keep the served document honest in tests without a full validator
 * dependency. It covers what a code-first document can get wrong: version, paths and operations,
 * response codes, path parameters, unique operation ids, security schemes, `required` naming real
 * properties, and every `$ref` resolving inside the document.
 */

type Obj = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const PATH_ITEM_KEYS = new Set([...METHODS, 'summary', 'description', 'servers', 'parameters', '$ref']);
const PARAMETER_LOCATIONS = new Set(['query', 'header', 'path', 'cookie']);
const SCHEMA_TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean']);

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 6901 JSON pointer inside the document ('#/components/schemas/Province'). */
export function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObj(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
    if (node === undefined) return undefined;
  }
  return node;
}

function walk(node: unknown, path: string, visit: (value: Obj, path: string) => void): void {
  if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${path}/${i}`, visit));
  else if (isObj(node)) {
    visit(node, path);
    for (const [k, v] of Object.entries(node)) walk(v, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, visit);
  }
}

function checkSchema(schema: Obj, at: string, problems: string[]): void {
  if ('$ref' in schema) return;
  if (schema.type !== undefined && (typeof schema.type !== 'string' || !SCHEMA_TYPES.has(schema.type))) {
    problems.push(`${at}: unknown schema type ${JSON.stringify(schema.type)}`);
  }
  if (schema.type === 'array' && !isObj(schema.items)) problems.push(`${at}: an array schema needs items`);
  if (schema.required !== undefined) {
    if (!Array.isArray(schema.required)) problems.push(`${at}: required must be an array`);
    else if (isObj(schema.properties)) {
      for (const name of schema.required) {
        if (!(String(name) in schema.properties)) problems.push(`${at}: required "${name}" is not one of its properties`);
      }
    }
  }
  if (schema.enum !== undefined && (!Array.isArray(schema.enum) || schema.enum.length === 0)) problems.push(`${at}: enum must be a non-empty array`);
}

/** Every problem found, as "<JSON pointer>: <what>"; empty when the document passes. */
export function validateOpenApiDocument(document: unknown): string[] {
  const problems: string[] = [];
  if (!isObj(document)) return ['the document is not a JSON object'];
  if (typeof document.openapi !== 'string' || !document.openapi.startsWith('3.')) problems.push(`/openapi: must be a 3.x version, got ${JSON.stringify(document.openapi)}`);
  const info = document.info;
  if (!isObj(info) || typeof info.title !== 'string' || typeof info.version !== 'string') problems.push('/info: title and version are required strings');
  if (!isObj(document.paths) || Object.keys(document.paths).length === 0) problems.push('/paths: must hold at least one path');
  const schemes = isObj(document.components) && isObj(document.components.securitySchemes) ? document.components.securitySchemes : {};
  const checkSecurity = (security: unknown, at: string) => {
    if (security === undefined) return;
    if (!Array.isArray(security)) return void problems.push(`${at}: security must be an array`);
    for (const requirement of security) {
      if (!isObj(requirement)) problems.push(`${at}: a security requirement must be an object`);
      else for (const name of Object.keys(requirement)) if (!(name in schemes)) problems.push(`${at}: security scheme "${name}" is not defined`);
    }
  };
  checkSecurity(document.security, '/security');

  const operationIds = new Map<string, string>();
  for (const [path, item] of Object.entries(isObj(document.paths) ? document.paths : {})) {
    const at = `/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (!path.startsWith('/')) problems.push(`${at}: a path must start with "/"`);
    if (!isObj(item)) {
      problems.push(`${at}: a path item must be an object`);
      continue;
    }
    for (const key of Object.keys(item)) if (!PATH_ITEM_KEYS.has(key) && !key.startsWith('x-')) problems.push(`${at}: unexpected key "${key}"`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const method of METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      const opAt = `${at}/${method}`;
      if (!isObj(op)) {
        problems.push(`${opAt}: an operation must be an object`);
        continue;
      }
      if (typeof op.operationId === 'string') {
        const seen = operationIds.get(op.operationId);
        if (seen) problems.push(`${opAt}: operationId "${op.operationId}" is also used at ${seen}`);
        operationIds.set(op.operationId, opAt);
      }
      if (!isObj(op.responses) || Object.keys(op.responses).length === 0) problems.push(`${opAt}: responses must hold at least one response`);
      for (const [code, response] of Object.entries(isObj(op.responses) ? op.responses : {})) {
        if (!/^([1-5](\d\d|XX)|default)$/.test(code)) problems.push(`${opAt}/responses/${code}: not a status code`);
        const resolved = isObj(response) && typeof response.$ref === 'string' ? resolvePointer(document, response.$ref) : response;
        if (!isObj(resolved) || typeof resolved.description !== 'string') problems.push(`${opAt}/responses/${code}: a response needs a description`);
        else for (const key of Object.keys(resolved)) {
          if (!['description', 'headers', 'content', 'links'].includes(key) && !key.startsWith('x-')) problems.push(`${opAt}/responses/${code}: unexpected key "${key}"`);
        }
      }
      const parameters = [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])]
        .map((p) => (isObj(p) && typeof p.$ref === 'string' ? resolvePointer(document, p.$ref) : p))
        .filter(isObj);
      for (const p of parameters) {
        if (typeof p.name !== 'string' || !PARAMETER_LOCATIONS.has(String(p.in))) problems.push(`${opAt}: parameter ${JSON.stringify(p.name)} needs a name and a valid "in"`);
        if (!('schema' in p) && !('content' in p)) problems.push(`${opAt}: parameter "${p.name}" needs a schema or content`);
        if (p.in === 'path' && (p.required !== true || !templated.includes(String(p.name)))) problems.push(`${opAt}: path parameter "${p.name}" must be required and appear in the path`);
      }
      for (const name of templated) {
        if (!parameters.some((p) => p.in === 'path' && p.name === name)) problems.push(`${opAt}: {${name}} has no path parameter`);
      }
      checkSecurity(op.security, `${opAt}/security`);
    }
  }

  walk(document, '', (node, path) => {
    if (typeof node.$ref === 'string') {
      if (!node.$ref.startsWith('#/components/')) problems.push(`${path}: $ref ${node.$ref} does not point inside components`);
      else if (resolvePointer(document, node.$ref) === undefined) problems.push(`${path}: $ref ${node.$ref} does not resolve`);
    }
  });
  const schemas = isObj(document.components) && isObj(document.components.schemas) ? document.components.schemas : {};
  for (const [name, schema] of Object.entries(schemas)) {
    walk(schema, `/components/schemas/${name}`, (node, path) => {
      // Inside a schema, objects under "properties" are property names, not schemas of their own.
      if (!/\/properties$/.test(path) && !/\/example(s)?(\/|$)/.test(path)) checkSchema(node, path, problems);
    });
  }
  return problems;
}

export interface MatchOptions {
  /** Treat an object schema without `additionalProperties` as closed: finds fields the document does not mention. */
  strict?: boolean;
}

/**
 * Where `value` departs from `schema` (OpenAPI 3.0: nullable, $ref, allOf/oneOf/anyOf, enum,
 * required, properties, additionalProperties, items, formats date-time/date/uuid); empty when it fits.
 */
export function matchSchema(value: unknown, schema: unknown, document: unknown, options: MatchOptions = {}, at = '$'): string[] {
  const match = (v: unknown, s: unknown, path: string) => matchSchema(v, s, document, options, path);
  if (!isObj(schema)) return [];
  if (typeof schema.$ref === 'string') return match(value, resolvePointer(document, schema.$ref), at);
  if (value === null) return schema.nullable === true || (schema.type === undefined && !schema.allOf && !schema.oneOf) ? [] : [`${at}: null is not allowed`];
  const errors: string[] = [];
  if (Array.isArray(schema.allOf)) for (const s of schema.allOf) errors.push(...match(value, s, at));
  if (Array.isArray(schema.oneOf)) {
    const fits = schema.oneOf.filter((s) => match(value, s, at).length === 0).length;
    if (fits !== 1) errors.push(`${at}: matches ${fits} of the oneOf schemas, not exactly one`);
  }
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((s) => match(value, s, at).length === 0)) errors.push(`${at}: matches none of anyOf`);
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  const type = schema.type;
  const actual = Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  if (typeof type === 'string' && !(type === actual || (type === 'number' && actual === 'integer'))) return [...errors, `${at}: expected ${type}, got ${actual}`];
  if (typeof value === 'string') {
    if (schema.format === 'date-time' && !(/^\d{4}-\d{2}-\d{2}T/.test(value) && Number.isFinite(Date.parse(value)))) errors.push(`${at}: "${value}" is not a date-time`);
    if (schema.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) errors.push(`${at}: "${value}" is not a date`);
    if (schema.format === 'uuid' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) errors.push(`${at}: "${value}" is not a uuid`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${at}: ${value} < ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${at}: ${value} > ${schema.maximum}`);
  }
  if (Array.isArray(value) && isObj(schema.items)) value.forEach((v, i) => errors.push(...match(v, schema.items, `${at}[${i}]`)));
  if (isObj(value)) {
    const properties = isObj(schema.properties) ? schema.properties : {};
    for (const name of Array.isArray(schema.required) ? schema.required : []) if (!(String(name) in value)) errors.push(`${at}: missing "${name}"`);
    for (const [key, v] of Object.entries(value)) {
      if (key in properties) errors.push(...match(v, properties[key], `${at}.${key}`));
      else if (isObj(schema.additionalProperties)) errors.push(...match(v, schema.additionalProperties, `${at}.${key}`));
      else if (schema.additionalProperties === false || (options.strict && schema.additionalProperties !== true && isObj(schema.properties))) {
        errors.push(`${at}: property "${key}" is not in the schema`);
      }
    }
  }
  return errors;
}
