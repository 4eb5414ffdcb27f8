import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTable } from './table.js';

describe('renderTable', () => {
  it('aligns columns to the widest cell, three spaces apart', () => {
    const out = renderTable(
      ['MESH', 'NAME', 'AGE'],
      [
        ['default', 'backend-1', '5m'],
        ['prod', 'web', '2h'],
      ],
    );
    assert.equal(
      out,
      ['MESH      NAME        AGE', 'default   backend-1   5m', 'prod      web         2h', ''].join('\n'),
    );
  });

  it('leaves no trailing spaces when the last cells are short or empty', () => {
    const out = renderTable(
      ['ACTIVE', 'NAME'],
      [
        ['', 'local'],
        ['*', 'prod'],
      ],
    );
    for (const line of out.split('\n')) assert.equal(line, line.trimEnd());
    assert.equal(out, 'ACTIVE   NAME\n         local\n*        prod\n');
  });

  it('prints only the headers when there are no rows', () => {
    assert.equal(renderTable(['NAME', 'AGE'], []), 'NAME   AGE\n');
  });

  it('keeps one row on one line and fills missing cells', () => {
    const out = renderTable(['A', 'B', 'C'], [['x\ny', 'z']]);
    assert.equal(out, 'A     B   C\nx y   z\n');
  });
});
