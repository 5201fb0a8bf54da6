import * as assert from 'node:assert/strict';
import { walkMembers, type MemberVisitor } from '../../server/src/engine/member-walk';
import type { SourceDocument } from '../../server/src/engine/documents/source-document';

/** A document is only its uri and value for the walk; nothing else of it is read. */
function documentOf(value: unknown): SourceDocument {
  return { uri: '/spec.json', value } as unknown as SourceDocument;
}

const spec = { info: { title: 'Clinic', tags: ['a', 'b'] }, paths: { '/p': { get: { $ref: '#/x', summary: 's' } } }, n: 1, z: null };

/** The members a visitor is called for, as `path=value kind` lines. */
function calls(only: MemberVisitor['only'], descend: (value: unknown) => boolean = () => true): string[] {
  const seen: string[] = [];
  walkMembers(
    [documentOf(spec)],
    [
      {
        ...(only ? { only } : {}),
        member: (_doc, path, _key, value) => {
          seen.push(`${path.join('/')}=${value !== null && typeof value === 'object' ? 'container' : JSON.stringify(value)}`);
          return descend(value);
        },
      },
    ],
    (_visitor, error) => {
      throw error;
    },
  );
  return seen;
}

describe('shared member walk', () => {
  it('calls a visitor for every member in document order', () => {
    assert.deepEqual(calls(undefined), [
      'info=container', 'info/title="Clinic"', 'info/tags=container', 'info/tags/0="a"', 'info/tags/1="b"',
      'paths=container', 'paths//p=container', 'paths//p/get=container', 'paths//p/get/$ref="#/x"', 'paths//p/get/summary="s"',
      'n=1', 'z=null',
    ]);
  });

  it('keeps a visitor out of a subtree it returns false for', () => {
    assert.deepEqual(calls(undefined, (value) => !(value !== null && typeof value === 'object' && 'title' in value)), ['info=container', 'paths=container', 'paths//p=container', 'paths//p/get=container', 'paths//p/get/$ref="#/x"', 'paths//p/get/summary="s"', 'n=1', 'z=null']);
  });

  it("calls a 'containers' visitor for objects and arrays only", () => {
    assert.deepEqual(calls('containers'), ['info=container', 'info/tags=container', 'paths=container', 'paths//p=container', 'paths//p/get=container']);
  });

  it("calls a 'scalars' visitor for scalars only, inside every container", () => {
    assert.deepEqual(calls('scalars', () => false), ['info/title="Clinic"', 'info/tags/0="a"', 'info/tags/1="b"', 'paths//p/get/$ref="#/x"', 'paths//p/get/summary="s"', 'n=1', 'z=null']);
  });

  it('reports a visitor that throws once and never calls it again; the others go on', () => {
    const errors: string[] = [];
    const healthy: string[] = [];
    let calls = 0;
    const throwing: MemberVisitor = {
      member: (_doc, path) => {
        calls++;
        if (path.join('/') === 'info/title') throw new Error('boom');
      },
    };
    walkMembers([documentOf(spec)], [throwing, { member: (_doc, path) => void healthy.push(path.join('/')) }], (visitor, error) => {
      errors.push(`${visitor === throwing ? 'throwing' : 'other'}: ${(error as Error).message}`);
    });
    assert.deepEqual(errors, ['throwing: boom']);
    assert.equal(calls, 2); // `info`, then `info/title`, which threw
    assert.equal(healthy.length, 12);
  });

  it("never walks into the characters of a string that a 'containers' visitor skipped", () => {
    const seen: string[] = [];
    const record = (kind: string) => (_doc: SourceDocument, path: readonly (string | number)[]) => void seen.push(`${kind} ${path.join('/')}`);
    walkMembers([documentOf({ a: 'text', b: { c: 'more' } })], [{ only: 'containers', member: record('container') }, { only: 'scalars', member: record('scalar') }], (_visitor, error) => {
      throw error;
    });
    assert.deepEqual(seen, ['scalar a', 'container b', 'scalar b/c']);
  });
});
