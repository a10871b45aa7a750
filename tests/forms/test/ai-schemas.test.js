// The AI-host flavours against the providers' documented rules:
// strictSchema under OpenAI's strict function-calling rules, portableSchema
// and portableOutputSchema under Gemini's function-declaration subset. The
// rule sets, and where they come from, are in lib/openai-strict.js and
// lib/gemini.js.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifests } from '../lib/manifests.js';
import { checkOpenAiStrict, acceptsNull } from '../lib/openai-strict.js';
import { checkGemini } from '../lib/gemini.js';

for (const { id, manifest } of loadManifests()) {
  const skip = (key) => manifest[key] === undefined && `no ${key}`;
  describe(id, () => {
    it('strictSchema: accepted by OpenAI strict function calling', { skip: skip('strictSchema') }, () => {
      assert.deepEqual(checkOpenAiStrict(manifest.strictSchema), []);
    });

    it('strictSchema: optional inputs accept null, required ones are the form\'s', { skip: skip('strictSchema') || skip('formSchema') }, () => {
      const required = new Set(manifest.formSchema.required ?? []);
      const problems = [];
      for (const [name, sub] of Object.entries(manifest.strictSchema.properties ?? {})) {
        if (!required.has(name) && !acceptsNull(sub)) problems.push(`${name} is optional in the form but does not accept null`);
        if (required.has(name) && acceptsNull(sub)) problems.push(`${name} is required in the form but accepts null`);
      }
      assert.deepEqual(problems, []);
    });

    it('portableSchema: accepted as Gemini function parameters', { skip: skip('portableSchema') }, () => {
      assert.deepEqual(checkGemini(manifest.portableSchema, { root: 'parameters' }), []);
    });

    it('portableSchema: requires what the form requires', { skip: skip('portableSchema') || skip('formSchema') }, () => {
      assert.deepEqual([...(manifest.portableSchema.required ?? [])].sort(), [...(manifest.formSchema.required ?? [])].sort());
    });

    it('portableOutputSchema: accepted as a Gemini function response schema', { skip: skip('portableOutputSchema') }, () => {
      assert.deepEqual(checkGemini(manifest.portableOutputSchema, { root: 'response' }), []);
    });
  });
}
