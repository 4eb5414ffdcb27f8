import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStraitError } from '@strait/shared';
import { toYamlStream } from '../output/documents.js';
import { describeOrigin } from './manifest-document.js';
import { splitDocuments } from './split-documents.js';

describe('splitDocuments', () => {
  it('splits a YAML stream, numbering documents from 1 and skipping empty ones', () => {
    const text = '---\ntype: Mesh\nname: a\n---\n---\n# only a comment\n---\ntype: Mesh\nname: b\n';
    const docs = splitDocuments(text, 'meshes.yaml');
    assert.deepEqual(
      docs.map((d) => [d.index, (d.object as { name: string }).name]),
      [
        [1, 'a'],
        [4, 'b'],
      ],
    );
    assert.equal(describeOrigin(docs[1] ?? assert.fail()), 'meshes.yaml, document 4');
  });

  it('reads JSON, a top-level array and Kuma list bodies item by item', () => {
    assert.deepEqual(splitDocuments('{"type":"Mesh","name":"a"}', 'a.json').length, 1);
    const array = splitDocuments('[{"type":"Mesh","name":"a"},{"type":"Mesh","name":"b"}]', 'list.json');
    assert.deepEqual(
      array.map((d) => [d.index, d.item]),
      [
        [1, 1],
        [1, 2],
      ],
    );
    const list = splitDocuments('{"items":[{"type":"Mesh","name":"a"}],"total":1,"next":null}', '-');
    assert.equal(list.length, 1);
    assert.equal(describeOrigin(list[0] ?? assert.fail()), '<stdin>, document 1, item 1');
  });

  it('gives back what the YAML printer wrote', () => {
    const objects = [
      { type: 'Mesh', name: 'default', labels: { 'kuma.io/origin': 'zone' } },
      { type: 'MeshTimeout', mesh: 'default', name: 't', spec: { targetRef: { kind: 'Mesh' }, note: 'a: b # c' } },
    ];
    assert.deepEqual(
      splitDocuments(toYamlStream(objects), 'x').map((d) => d.object),
      objects,
    );
  });

  it('rejects a syntax error naming the source and the document', () => {
    assert.throws(
      () => splitDocuments('type: Mesh\nname: a\n---\ntype: [unclosed\n', 'bad.yaml'),
      (err) => isStraitError(err, 'Invalid') && /bad\.yaml, document 2/.test(err.message),
    );
  });

  it('returns nothing for empty input', () => {
    assert.deepEqual(splitDocuments('', 'empty.yaml'), []);
    assert.deepEqual(splitDocuments('# nothing\n', 'empty.yaml'), []);
  });
});
