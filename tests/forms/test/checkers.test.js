// The checkers themselves: the hand-written fixture manifests (which follow
// the manifest contract) pass, and one schema per documented rule that breaks
// it is refused with that rule named. So a checker that lets everything
// through fails here.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifests, FIXTURES_DIR } from '../lib/manifests.js';
import { checkOpenAiStrict, acceptsNull } from '../lib/openai-strict.js';
import { checkGemini } from '../lib/gemini.js';
import { formAjv, inputAjv, collectingLogger } from '../lib/ajv.js';
import { sampleFor, validValueFor } from '../lib/values.js';

const fixtures = loadManifests(FIXTURES_DIR);
const fixture = (id) => structuredClone(fixtures.find((e) => e.id === id).manifest);

/** A strict-valid object schema with `props` (all required). */
const strictObject = (props) => ({
  type: 'object', properties: props, required: Object.keys(props), additionalProperties: false,
});

/** Asserts that some problem matches `pattern`. */
function assertRefused(problems, pattern) {
  assert.ok(problems.some((p) => pattern.test(p)), `expected a problem matching ${pattern}, got ${JSON.stringify(problems)}`);
}

describe('the fixture manifests pass both rule sets', () => {
  for (const { id, manifest } of fixtures) {
    it(`${id}: strictSchema, portableSchema, portableOutputSchema`, () => {
      assert.deepEqual(checkOpenAiStrict(manifest.strictSchema), []);
      assert.deepEqual(checkGemini(manifest.portableSchema), []);
      assert.deepEqual(checkGemini(manifest.portableOutputSchema, { root: 'response' }), []);
    });
  }
});

describe('OpenAI strict rules refuse', () => {
  const cases = [
    ['a root that is not an object', { type: 'array', items: { type: 'string' } }, /root type must be "object"/],
    ['a root anyOf', { type: 'object', anyOf: [strictObject({})], properties: {}, required: [], additionalProperties: false }, /root must not be anyOf/],
    ['an object without additionalProperties: false', { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, /"additionalProperties": false is required/],
    ['a property left out of required', { type: 'object', properties: { a: { type: 'string' } }, required: [], additionalProperties: false }, /"a" must be listed in "required"/],
    ['a nested object without additionalProperties: false', strictObject({ o: { type: 'object', properties: { b: { type: 'string' } }, required: ['b'] } }), /\/properties\/o: "additionalProperties": false/],
    ['default', strictObject({ a: { type: 'string', default: 'x' } }), /keyword "default" is not supported/],
    ['$schema', { $schema: 'https://json-schema.org/draft/2020-12/schema', ...strictObject({}) }, /keyword "\$schema" is not supported/],
    ['if/then', { ...strictObject({ a: { type: 'string' } }), if: { properties: { a: { const: 'x' } } }, then: {} }, /"if" is not supported/],
    ['allOf', strictObject({ a: { allOf: [{ type: 'string' }] } }), /"allOf" is not supported/],
    ['oneOf', strictObject({ a: { oneOf: [{ type: 'string' }, { type: 'null' }] } }), /keyword "oneOf" is not supported/],
    ['dependentRequired', { ...strictObject({ a: { type: 'string' } }), dependentRequired: { a: [] } }, /"dependentRequired" is not supported/],
    ['x- keywords', strictObject({ a: { type: 'string', 'x-options': {} } }), /keyword "x-options"/],
    ['a string keyword on a number', strictObject({ n: { type: 'number', pattern: '^1$' } }), /keyword "pattern" is not supported for type number/],
    ['format uint32', strictObject({ n: { type: 'integer', format: 'uint32' } }), /format "uint32" is not supported/],
    ['a string format outside the list', strictObject({ s: { type: 'string', format: 'uri' } }), /format "uri" is not supported/],
    ['a node without a type', strictObject({ s: { description: 'anything' } }), /no "type"/],
  ];
  for (const [name, schema, pattern] of cases) it(name, () => assertRefused(checkOpenAiStrict(schema), pattern));

  it('more than 10 levels of nesting', () => {
    let node = strictObject({ leaf: { type: 'string' } });
    for (let i = 0; i < 10; i += 1) node = strictObject({ child: node });
    assertRefused(checkOpenAiStrict(node), /more than 10 levels/);
    let ok = strictObject({ leaf: { type: 'string' } });
    for (let i = 0; i < 9; i += 1) ok = strictObject({ child: ok });
    assert.deepEqual(checkOpenAiStrict(ok), []);
  });

  it('more than 5000 properties', () => {
    const props = Object.fromEntries(Array.from({ length: 5001 }, (_, i) => [`p${i}`, { type: 'string' }]));
    assertRefused(checkOpenAiStrict(strictObject(props)), /5001 object properties, more than 5000/);
  });

  it('more than 1000 enum values', () => {
    const values = Array.from({ length: 1001 }, (_, i) => `v${i}`);
    assertRefused(checkOpenAiStrict(strictObject({ e: { type: 'string', enum: values } })), /1001 enum values/);
  });

  it('accepts optional fields written as type unions or anyOf with null', () => {
    const schema = strictObject({
      a: { type: ['string', 'null'] },
      b: { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'null' }] },
      c: { type: ['string', 'null'], enum: ['x', 'y', null] },
    });
    assert.deepEqual(checkOpenAiStrict(schema), []);
    assert.ok(acceptsNull(schema.properties.a) && acceptsNull(schema.properties.b) && acceptsNull(schema.properties.c));
    assert.equal(acceptsNull({ type: ['string', 'null'], enum: ['x'] }), false, 'an enum without null refuses null');
    assert.equal(acceptsNull({ type: 'string' }), false);
  });
});

describe('Gemini rules refuse', () => {
  const obj = (props, extra = {}) => ({ type: 'object', properties: props, ...extra });
  const cases = [
    ['$schema', { $schema: 'http://json-schema.org/draft-07/schema#', ...obj({ a: { type: 'string' } }) }, /field "\$schema"/],
    ['additionalProperties', obj({ a: { type: 'string' } }, { additionalProperties: false }), /field "additionalProperties"/],
    ['type arrays', obj({ a: { type: ['string', 'null'] } }), /single type name/],
    ['format date (only enum and date-time for strings)', obj({ a: { type: 'string', format: 'date' } }), /format "date" is not supported for type string/],
    ['format email', obj({ a: { type: 'string', format: 'email' } }), /format "email"/],
    ['format uint32', obj({ a: { type: 'integer', format: 'uint32' } }), /format "uint32"/],
    ['const', obj({ a: { type: 'string', const: 'x' } }), /field "const"/],
    ['oneOf', obj({ a: { oneOf: [{ type: 'string' }] } }), /field "oneOf"/],
    ['multipleOf', obj({ a: { type: 'integer', multipleOf: 1 } }), /field "multipleOf"/],
    ['contentMediaType', obj({ a: { type: 'string', contentMediaType: 'application/json' } }), /field "contentMediaType"/],
    ['x- keywords', obj({ a: { type: 'string', 'x-options': {} } }), /field "x-options"/],
    ['if/then', obj({ a: { type: 'string' } }, { if: {}, then: {} }), /field "if"/],
    ['an enum of numbers', obj({ a: { type: 'integer', enum: [1, 2] } }), /"enum" must be a list of strings/],
    ['an array without items', obj({ a: { type: 'array' } }), /an array needs "items"/],
    ['required naming a missing property', obj({ a: { type: 'string' } }, { required: ['b'] }), /required names "b"/],
    ['a free-form nested object', obj({ a: { type: 'object' } }), /non-empty "properties"/],
    ['a parameter name with a dash', obj({ 'bad-name': { type: 'string' } }), /parameter name "bad-name"/],
    ['a non-object root for parameters', { type: 'string' }, /must be of type object/],
    ['a node without a type', obj({ a: { description: 'x' } }), /no "type"/],
  ];
  for (const [name, schema, pattern] of cases) it(name, () => assertRefused(checkGemini(schema), pattern));

  it('accepts the documented subset, and any root type for a response', () => {
    const schema = obj({
      s: { type: 'string', format: 'date-time', description: 'd', nullable: true },
      e: { type: 'STRING', enum: ['a', 'b'], title: 't' },
      n: { type: 'integer', format: 'int64', minimum: 1, maximum: 1000 },
      l: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 100 },
      u: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
    }, { required: ['s'], propertyOrdering: ['s', 'e'] });
    assert.deepEqual(checkGemini(schema), []);
    assert.deepEqual(checkGemini({ type: 'array', items: { type: 'string' } }, { root: 'response' }), []);
  });
});

describe('the Ajv set-ups', () => {
  it('the validation flavour refuses a misspelt custom keyword', () => {
    const ajv = inputAjv(collectingLogger().logger);
    assert.throws(() => ajv.compile({ type: 'string', 'x-option': { tool: 'thrive_list_tags', value: 'id', label: 'tag' } }), /unknown keyword: "x-option"/);
  });

  it('the validation flavour refuses a dropdown hint without a label', () => {
    const ajv = inputAjv(collectingLogger().logger);
    assert.throws(() => ajv.compile({ type: 'string', 'x-options': { tool: 'thrive_list_tags', value: 'id' } }), /x-options/);
  });

  it('the form flavour refuses custom keywords and 2020-12 documents', () => {
    assert.throws(() => formAjv().compile({ type: 'string', 'x-options': {} }), /unknown keyword/);
    assert.throws(() => formAjv().compile({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'string' }), /no schema with key or ref/);
  });

  it('Ajv\'s logged strict warnings are collected', () => {
    const { warnings, logger } = collectingLogger();
    formAjv(logger).compile({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'], minimum: 1 });
    assert.ok(warnings.length > 0, 'strictTypes warns about minimum on an object');
  });
});

describe('the value generator', () => {
  it('fills required fields with format samples and first choices', () => {
    const value = sampleFor({
      type: 'object',
      required: ['d', 'e', 'r', 'n', 'l', 's'],
      properties: {
        d: { type: 'string', format: 'date' },
        e: { type: 'string', format: 'email' },
        r: { type: 'string', oneOf: [{ const: 'learner', title: 'Learner' }, { const: 'administrator', title: 'Admin' }] },
        n: { type: 'integer', minimum: -1 },
        l: { type: 'array', minItems: 2, items: { type: 'string' } },
        s: { type: 'array', minItems: 1, items: { type: 'object', required: ['tagName'], properties: { tagName: { type: 'string' } } } },
        optional: { type: 'string' },
      },
    });
    assert.deepEqual(value, {
      d: '2024-04-02', e: 'jane@example.com', r: 'learner', n: -1, l: ['l-1', 'l-1-2'], s: [{ tagName: 'tagName-1' }],
    });
  });

  it('adds what an if/else rule requires (email unless the login method is ref)', () => {
    const form = fixture('thrive_create_user').formSchema;
    delete form.examples;
    const validate = formAjv().compile(form);
    const { value, source, errors } = validValueFor(form, validate);
    assert.equal(source, 'generated');
    assert.deepEqual(errors, []);
    assert.equal(value.email, 'jane@example.com');
  });
});
