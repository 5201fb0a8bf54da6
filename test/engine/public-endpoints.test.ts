import * as assert from 'node:assert/strict';
import { DEFAULT_PUBLIC_ENDPOINTS, isPublicByDesign } from '../../server/src/engine/model/public-endpoints';

describe('public-by-design endpoints', () => {
  it('recognises every default at the end of a path, after any prefix, with or without a trailing slash', () => {
    for (const pattern of DEFAULT_PUBLIC_ENDPOINTS) {
      const path = pattern.replace('*', 'openid-configuration');
      assert.equal(isPublicByDesign(path, {}), true, path);
      assert.equal(isPublicByDesign(`/fhir/r4${path}/`, {}), true, `/fhir/r4${path}/`);
      assert.equal(isPublicByDesign(path.toUpperCase(), {}), true, path.toUpperCase());
    }
  });

  it('matches whole segments only, and never a templated path by default', () => {
    for (const path of ['/patients/{id}/status', '/unhealth', '/healthy', '/tokens', '/patient/metadata2', '/metadata/patients', '/status/{id}']) {
      assert.equal(isPublicByDesign(path, {}), false, path);
    }
    assert.equal(isPublicByDesign('/health?verbose=true', {}), true);
    assert.equal(isPublicByDesign('/.well-known/smart-configuration', {}), true);
    assert.equal(isPublicByDesign('/.well-knownx/config', {}), false);
  });

  it('adds the configured patterns, for templated paths too, and still only at segment boundaries', () => {
    const extra = ['/public/*', '/echo'];
    assert.equal(isPublicByDesign('/v1/public/{file}', {}, extra), true);
    assert.equal(isPublicByDesign('/v1/echo', {}, extra), true);
    assert.equal(isPublicByDesign('/v1/noecho', {}, extra), false);
    assert.equal(isPublicByDesign('/patients/{id}/status', {}, extra), false);
    assert.equal(isPublicByDesign('/health', {}, extra), true);
    // An empty list adds nothing (an empty alternation would match every path).
    assert.equal(isPublicByDesign('/patients', {}, []), false);
    assert.equal(isPublicByDesign('/patients/{id}', {}, []), false);
  });

  it('takes the spec at its word: x-public and x-healthlint-public', () => {
    assert.equal(isPublicByDesign('/patients/{id}', { 'x-public': true }), true);
    assert.equal(isPublicByDesign('/patients', { 'x-healthlint-public': true }), true);
    assert.equal(isPublicByDesign('/patients', { 'x-public': 'yes' }), false);
  });
});
