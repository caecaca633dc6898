import { matchSchema, resolvePointer, validateOpenApiDocument } from './openapi.validator.js';

/** The smallest document that passes; each test breaks one thing. */
function minimal() {
  return {
    openapi: '3.0.0',
    info: { title: 'governor-tracker API', version: '1' },
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/provinces/{slug}': {
        get: {
          operationId: 'Provinces_get',
          parameters: [{ name: 'slug', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            200: { description: 'the province', content: { 'application/json': { schema: { $ref: '#/components/schemas/Province' } } } },
          },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Province: {
          type: 'object',
          required: ['slug', 'seats'],
          properties: { slug: { type: 'string', example: 'basra' }, seats: { type: 'integer' }, tier: { type: 'string', enum: ['A', 'B', 'C'], nullable: true } },
        },
      },
    },
  };
}

describe('validateOpenApiDocument', () => {
  test('a well-formed document passes', () => {
    expect(validateOpenApiDocument(minimal())).toEqual([]);
  });

  test.each([
    ['a 2.0 document', (d: any) => (d.openapi = '2.0'), /\/openapi: must be a 3\.x version/],
    ['no paths', (d: any) => (d.paths = {}), /\/paths: must hold at least one path/],
    ['a dangling $ref', (d: any) => delete d.components.schemas.Province, /\$ref #\/components\/schemas\/Province does not resolve/],
    ['a $ref outside components', (d: any) => (d.paths['/api/v1/provinces/{slug}'].get.responses[200].content['application/json'].schema = { $ref: '#/paths' }), /does not point inside components/],
    ['an operation without responses', (d: any) => (d.paths['/api/v1/provinces/{slug}'].get.responses = {}), /responses must hold at least one response/],
    ['a response without a description', (d: any) => delete d.paths['/api/v1/provinces/{slug}'].get.responses[200].description, /a response needs a description/],
    ['a bad status code', (d: any) => (d.paths['/api/v1/provinces/{slug}'].get.responses['20'] = { description: 'x' }), /not a status code/],
    ['a stray key in a response', (d: any) => (d.paths['/api/v1/provinces/{slug}'].get.responses[200].status = 200), /unexpected key "status"/],
    ['a path parameter missing', (d: any) => (d.paths['/api/v1/provinces/{slug}'].get.parameters = []), /\{slug\} has no path parameter/],
    ['an undefined security scheme', (d: any) => (d.paths['/api/v1/provinces/{slug}'].get.security = [{ apiKey: [] }]), /security scheme "apiKey" is not defined/],
    ['a required field that is not a property', (d: any) => d.components.schemas.Province.required.push('governor'), /required "governor" is not one of its properties/],
    ['an unknown schema type', (d: any) => (d.components.schemas.Province.properties.seats.type = 'int'), /unknown schema type "int"/],
    [
      'a duplicate operationId',
      (d: any) => (d.paths['/api/v1/cycle'] = { get: { operationId: 'Provinces_get', responses: { 200: { description: 'x' } } } }),
      /operationId "Provinces_get" is also used/,
    ],
  ])('finds %s', (_name, breakIt, expected) => {
    const document = minimal();
    breakIt(document);
    const problems = validateOpenApiDocument(document);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  test('resolves JSON pointers with escaped characters', () => {
    expect(resolvePointer({ paths: { '/a/{b}': { get: 1 } } }, '#/paths/~1a~1{b}/get')).toBe(1);
    expect(resolvePointer({ a: 1 }, '#/b')).toBeUndefined();
  });
});

describe('matchSchema', () => {
  const doc = minimal();
  const province = { $ref: '#/components/schemas/Province' };

  test('a value that fits gives no error', () => {
    expect(matchSchema({ slug: 'kirkuk', seats: 16, tier: null }, province, doc)).toEqual([]);
  });

  test('finds a missing field, a wrong type, a value outside the enum and a null where none is allowed', () => {
    expect(matchSchema({ seats: 'sixteen', tier: 'D' }, province, doc)).toEqual([
      '$: missing "slug"',
      '$.seats: expected integer, got string',
      '$.tier: "D" is not one of ["A","B","C"]',
    ]);
    expect(matchSchema(null, province, doc)).toEqual(['$: null is not allowed']);
  });

  test('strict mode names fields the schema does not document', () => {
    const value = { slug: 'basra', seats: 23, governor: 'Asaad Al-Eidani' };
    expect(matchSchema(value, province, doc)).toEqual([]);
    expect(matchSchema(value, province, doc, { strict: true })).toEqual(['$: property "governor" is not in the schema']);
  });

  test('formats and arrays', () => {
    const schema = { type: 'array', items: { type: 'string', format: 'date-time' } };
    expect(matchSchema(['2024-02-09T20:59:59.999Z'], schema, doc)).toEqual([]);
    expect(matchSchema(['2024-02-09'], schema, doc)).toEqual(['$[0]: "2024-02-09" is not a date-time']);
  });

  test('oneOf needs exactly one match', () => {
    const schema = { oneOf: [{ type: 'string' }, { type: 'integer' }] };
    expect(matchSchema(9, schema, doc)).toEqual([]);
    expect(matchSchema(true, schema, doc)).toEqual(['$: matches 0 of the oneOf schemas, not exactly one']);
  });
});
