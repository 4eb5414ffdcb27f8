import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStraitError } from '@strait/shared';
import { applyTemplateVars } from './template-vars.js';

describe('applyTemplateVars', () => {
  it('replaces {{ name }} with or without spaces', () => {
    const vars = new Map([
      ['mesh', 'prod'],
      ['svc', 'web'],
    ]);
    assert.equal(applyTemplateVars('mesh: {{ mesh }}\nname: {{svc}}-1\n', vars, 'a.yaml'), 'mesh: prod\nname: web-1\n');
  });

  it('names every placeholder that has no value', () => {
    assert.throws(
      () => applyTemplateVars('name: {{ a }}-{{ b }}', new Map([['a', '1']]), 'a.yaml'),
      (err) => isStraitError(err, 'Invalid') && err.message.includes('{{ b }}') && !err.message.includes('{{ a }}'),
    );
  });
});
