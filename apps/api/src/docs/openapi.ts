import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject, type OperationObject, type PathItemObject, type SchemaObject } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import type { Role } from '@app/database';
import { PUBLIC_KEY, ROLE_KEY } from '../auth/roles.decorator.js';
import { problemResponse } from './api-problems.decorator.js';
import { RESPONSE_SCHEMAS } from './schemas.js';

export const DOCS_PATH = '/docs';
export const DOCS_JSON_PATH = '/docs-json';

const DESCRIPTION = `The newsroom's system of record for the selection of provincial governors after Iraq's provincial
elections of 18 December 2023. Each of the 15 provinces' council formation is a state machine
(criteria → tier → candidate → appointed); every event is sourced, checked against the legal deadline
(9 February 2024, end of day in Baghdad) and stored append-only.

**Keys.** Every route but health, metrics, these docs and the board page needs \`Authorization: Bearer <api key>\`
(roles: admin ⊃ editor ⊃ viewer ⊃ public; a public key reads only publishable items). An admin creates keys: \`npm run cli -- keys create --role editor --name basra-desk\`.

**Errors** are RFC 9457 problem documents (\`application/problem+json\`) whose \`type\` ends in a stable code.

**Writes** honour \`If-Match: "<version>"\` (412 when stale) and \`Idempotency-Key\` (a retry replays the first answer).`;

export interface DocsOptions {
  version: string;
  /** Routes the rate limiter skips (no 429 documented there); undefined when rate limiting is off. */
  rateLimitExempt: ReadonlySet<string> | null;
}

interface HandlerAccess {
  isPublic: boolean;
  role: Role;
}

const operationId = (controllerKey: string, methodKey: string) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`;

/** Who may call each handler, read from the very metadata the auth guard reads, by operation id. */
function handlerAccess(app: INestApplication): Map<string, HandlerAccess> {
  const reflector = new Reflector();
  const scanner = new MetadataScanner();
  const out = new Map<string, HandlerAccess>();
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as object;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const targets = [handler as () => void, controller];
        out.set(operationId(controller.name, name), {
          isPublic: reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) ?? false,
          role: reflector.getAllAndOverride<Role>(ROLE_KEY, targets) ?? 'viewer',
        });
      }
    }
  }
  return out;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function* operations(document: OpenAPIObject): Generator<{ path: string; method: string; op: OperationObject }> {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const op = (item as PathItemObject)[method];
      if (op) yield { path, method, op };
    }
  }
}

/**
 * The document: DTO-derived request schemas, the response schemas of docs/schemas.ts, and on every
 * operation the refusals that the platform itself can give, derived from the same metadata the guard
 * and the rate limiter act on — 401 and the bearer requirement unless the route is public, 403 when
 * it needs more than the public role, 429 unless exempt from rate limiting, 503 everywhere (database down or
 * shutting down). Route-specific refusals come from @ApiProblems on the controllers.
 */
export function buildOpenApiDocument(app: INestApplication, options: DocsOptions): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('governor-tracker API')
    .setDescription(DESCRIPTION)
    .setVersion(options.version)
    // Relative: the document is served by the API it describes, wherever that is deployed.
    .addServer('/', 'This server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key (gt_…), created with the CLI or POST /api/v1/admin/api-keys.' }, 'bearer')
    .addSecurityRequirements('bearer')
    .addTag('provinces', 'The 15 provinces, their events, corrections and history')
    .addTag('claims', 'The claims ledger: rumours with their sources, denied, confirmed or retracted')
    .addTag('contacts', "Reporters' calls to officials (newsroom only, never public)")
    .addTag('alerts', 'Deadline breaches and at-risk provinces')
    .addTag('changes', 'Every recorded event in recording order, for incremental pulls')
    .addTag('feeds', 'Atom feeds of changes and alerts')
    .addTag('digest', 'One day in Baghdad, as JSON or Markdown, in English or Arabic')
    .addTag('search', 'Provinces and people by name, in Arabic or Latin script')
    .addTag('stream', 'Server-Sent Events')
    .addTag('cycle', 'The election cycle and its deadline')
    .addTag('machine', 'The workflow, as data and as a diagram')
    .addTag('proposals', 'The two-person rule: events waiting for a second editor')
    .addTag('admin', 'API keys and webhooks')
    .addTag('health', 'Liveness and readiness (no key)')
    .addTag('operations', 'Metrics and these docs (no key)')
    .addTag('board', 'The newsroom board page and its assets (no key)')
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: operationId });
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...RESPONSE_SCHEMAS } };

  const page = (summary: string, type: string): OperationObject => ({
    tags: ['operations'],
    summary,
    operationId: summary.replace(/\W+/g, '_'),
    responses: { 200: { description: summary, content: { [type]: { schema: { type: type === 'text/html' ? 'string' : 'object' } } } } },
  });
  document.paths[DOCS_PATH] = { get: page('Swagger UI for this document', 'text/html') };
  document.paths[DOCS_JSON_PATH] = { get: page('This OpenAPI document', 'application/json') };
  // Served by serveDocs() below, not by a controller: public.
  const docsAccess: HandlerAccess = { isPublic: true, role: 'viewer' };

  const access = handlerAccess(app);
  for (const { path, op } of operations(document)) {
    // A route class serves two prefixes (`/provinces/…` and `/cycles/{cycle}/provinces/…`): each operation's
    // path parameters are exactly its path's.
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const params = (op.parameters ?? []) as { name: string; in: string }[];
    op.parameters = [
      ...names
        .filter((name) => !params.some((p) => p.in === 'path' && p.name === name))
        .map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' }, ...(name === 'cycle' ? { description: 'the cycle’s slug', example: 'iraq-2023' } : {}) })),
      ...params.filter((p) => p.in !== 'path' || names.includes(p.name)),
    ] as typeof op.parameters;
    const who = [DOCS_PATH, DOCS_JSON_PATH].includes(path) ? docsAccess : op.operationId ? access.get(op.operationId) : undefined;
    if (!who) throw new Error(`OpenAPI: no handler found for operation ${op.operationId} (${path})`);
    op.responses ??= {};
    // The guard's 403 is `forbidden` only (other 403 codes, such as self-approval, are documented by their routes).
    const add = (status: 401 | 403 | 429 | 503) => {
      op.responses[status] ??= problemResponse(status, status === 403 ? ['forbidden'] : undefined);
    };
    if (who.isPublic) {
      op.security = [];
    } else {
      op.security = [{ bearer: [] }];
      add(401);
      // Every route above the lowest role (public) refuses a key below it.
      if (who.role !== 'public') add(403);
      const needs = who.role === 'public' ? 'Any key; a **public** key sees only publishable items.' : `Requires the **${who.role}** role.`;
      op.description = [op.description, needs].filter(Boolean).join('\n\n');
      // The same fact as data, for clients that offer only what a key may do (the desk page does).
      (op as OperationObject & Record<'x-required-role', Role>)['x-required-role'] = who.role;
    }
    if (options.rateLimitExempt && !options.rateLimitExempt.has(path)) add(429);
    add(503);
  }
  narrowDiscriminatedBodies(document);
  listNullInNullableEnums(document);
  return document;
}

/**
 * OpenAPI 3.0 (as clarified in 3.0.3): `nullable` widens `type` but not `enum`, so a nullable enum must
 * list null itself, or strict validators (ajv) refuse every null the API sends (`tier` before the tier
 * is assigned, an open alert's `resolution`, a claim's first step's `from`). Done once here for every
 * schema, hand-written or derived from a DTO.
 */
function listNullInNullableEnums(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(listNullInNullableEnums);
  if (typeof node !== 'object' || node === null) return;
  const schema = node as SchemaObject;
  if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  Object.values(node).forEach(listNullInNullableEnums);
}

/**
 * A request body that is a oneOf with a discriminator mapping: each mapped schema's discriminating
 * property is narrowed to its own value. The event bodies share their common fields, so without it a
 * CONVENE would match DECREE's schema too (oneOf needs exactly one match), and a client building a form
 * per type could not tell the schemas apart.
 */
function narrowDiscriminatedBodies(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  for (const { op } of operations(document)) {
    const body = op.requestBody as { content?: Record<string, { schema?: SchemaObject }> } | undefined;
    const discriminator = body?.content?.['application/json']?.schema?.discriminator;
    if (!discriminator?.mapping) continue;
    const property = discriminator.propertyName;
    for (const [value, ref] of Object.entries(discriminator.mapping)) {
      const schema = schemas[ref.split('/').pop()!] as SchemaObject | undefined;
      const current = schema?.properties?.[property] as SchemaObject | undefined;
      if (!schema?.properties || !current) throw new Error(`OpenAPI: ${ref} has no property "${property}" to discriminate on`);
      schema.properties[property] = { ...current, enum: [value], example: value };
    }
  }
}

/** The Swagger UI files /docs needs, from the swagger-ui-dist that @nestjs/swagger depends on. */
const UI_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const INIT_JS = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(DOCS_JSON_PATH)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  persistAuthorization: false,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>governor-tracker API</title>
<link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png">
<link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
<script src="${DOCS_PATH}/swagger-ui-init.js"></script>
</body>
</html>
`;

function swaggerUiDir(): string {
  const fromSwagger = createRequire(createRequire(import.meta.url).resolve('@nestjs/swagger'));
  return dirname(fromSwagger.resolve('swagger-ui-dist/package.json'));
}

/**
 * Swagger UI at /docs and the JSON at /docs-json, no key needed. The page, its init script and the
 * few swagger-ui-dist files it loads are served by these routes (no CDN, nothing inline, so the
 * content security policy can stay at 'self'); SwaggerModule.setup is not used because its static
 * file plugin does not load in the test runner.
 */
export function serveDocs(fastify: FastifyInstance, document: OpenAPIObject): void {
  const json = JSON.stringify(document);
  const dir = swaggerUiDir();
  fastify.get(DOCS_PATH, (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
  fastify.get(DOCS_JSON_PATH, (_request, reply) => reply.type('application/json; charset=utf-8').send(json));
  fastify.get(`${DOCS_PATH}/swagger-ui-init.js`, (_request, reply) => reply.type('application/javascript; charset=utf-8').send(INIT_JS));
  for (const [file, type] of Object.entries(UI_ASSETS)) {
    const path = join(dir, file);
    fastify.get(`${DOCS_PATH}/${file}`, (_request, reply) =>
      reply.type(type).header('cache-control', 'public, max-age=86400').send(createReadStream(path)),
    );
  }
}
