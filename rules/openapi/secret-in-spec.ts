import type { SourceDocument } from '../../server/src/engine/documents/source-document';
import { quotableFieldName } from '../../server/src/engine/message-safety';
import { MAX_WALK_DEPTH } from '../../server/src/engine/member-walk';
import { defineRule } from '../../server/src/engine/rule';
import { isLiteralCredential, SAMPLE_SHAPE, secretNameKind, secretShapeIn, type SecretNameKind } from './secret-patterns';

/** Members whose string value is sample data: the name that tells what the value is comes from further up. */
const DATA_KEYS = new Set(['example', 'examples', 'default', 'x-example', 'x-examples']);
/** Keys inside sample data that wrap a value without naming it. */
const WRAPPER_KEYS = new Set(['value', 'example', 'examples', 'default', 'summary', 'description', 'externalValue', '$ref']);
/** Maps whose keys name the thing below them (a property, header, server variable, component). */
const NAMING_CONTAINERS = new Set(['properties', 'headers', 'variables', 'schemas', 'definitions', 'parameters', 'requestBodies', 'patternProperties']);

const KIND_TEXT: Record<SecretNameKind, string> = { password: 'a literal password', secret: 'a literal secret (key or token)', authorization: 'literal Authorization credentials' };
const COMPONENT_KINDS: Record<string, string> = {
  schemas: 'schema', parameters: 'parameter', responses: 'response', examples: 'example', requestBodies: 'request body', headers: 'header',
  securitySchemes: 'security scheme', callbacks: 'callback', links: 'link', pathItems: 'path item',
};

type Path = (string | number)[];

/** A secret-looking value at `path`: what it is, the name that owns it, and the kind of member it came from. */
interface SecretSighting {
  readonly path: Path;
  readonly value: string;
  readonly what: string;
  readonly name: string | undefined;
  readonly origin: string | undefined;
  /** The credential inside a longer string (a token in a description), where the finding is placed. */
  readonly secret?: string | undefined;
}

/**
 * Repeats of one secret listed as related locations; the message always gives the full count. Zero for now:
 * each related location costs a range lookup, which is a scan of the whole file for JSON documents (see report).
 */
const MAX_RELATED = 0;

/** Top-level members a message may name; anything else (a fragment file's own root) is named by its file. */
const TOP_LEVEL = new Set(['info', 'servers', 'tags', 'externalDocs', 'security', 'host', 'basePath', 'paths', 'webhooks', 'components', 'definitions', 'parameters', 'responses', 'securityDefinitions']);

/**
 * Credentials written into the spec: keys, tokens and passwords in examples, defaults, extension values
 * and server variable defaults, found by field name (with a non-placeholder value) or by value shape
 * (JWT, AWS/GitHub/Stripe/Slack/Google keys, private keys, Bearer/Basic credentials). One walk per file.
 */
export default defineRule({
  meta: {
    id: 'secret-in-spec',
    category: 'secrets',
    defaultSeverity: 'error',
    description: 'An API key, token, password or private key is written into the spec (example, default, extension or text).',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    references: { cwe: [798, 259, 321], owaspApi: ['API2:2023', 'API8:2023'], hipaa: ['164.312(d)'], gdpr: ['Art. 32'] },
  },
  check({ report, visitMembers }) {
    const kinds = new Map<string, SecretNameKind | undefined>();
    const kindOf = (name: string): SecretNameKind | undefined => {
      if (!kinds.has(name)) kinds.set(name, secretNameKind(name));
      return kinds.get(name);
    };
    let doc: SourceDocument | undefined;
    let path: Path = [];
    let emit: (observation: SecretSighting) => void = () => undefined;
    const found = (value: string, what: string, name: string | undefined, origin: string | undefined, secret?: string) => {
      emit({ path: [...path], value, what, name, origin, ...(secret !== undefined && secret !== value ? { secret } : {}) });
    };

    /** Sample data: every string is checked by shape and by the nearest naming key. */
    const walkData = (value: unknown, name: string | undefined, origin: string): void => {
      if (path.length > MAX_WALK_DEPTH) return;
      if (typeof value === 'string') {
        const shape = secretShapeIn(value, true);
        if (shape === SAMPLE_SHAPE) return;
        if (shape) return found(value, `contains ${shape.what}`, name, origin, shape.match);
        const kind = name === undefined ? undefined : kindOf(name);
        if (kind && isLiteralCredential(kind, value)) found(value, `is ${KIND_TEXT[kind]}`, name, origin);
        return;
      }
      if (value === null || typeof value !== 'object') return;
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++) {
          path.push(index);
          walkData(value[index], name, origin);
          path.pop();
        }
        return;
      }
      const record = value as Record<string, unknown>;
      for (const key in record) {
        path.push(key);
        walkData(record[key], WRAPPER_KEYS.has(key) || key.includes('/') ? name : key, origin);
        path.pop();
      }
    };

    /** A parameter or header object names its own value. */
    const ownerIn = (value: unknown, inherited: string | undefined): string | undefined => {
      const record = value as Record<string, unknown>;
      // `in` first: far fewer objects have it than `name`, and each load by name on a large spec's objects is slow.
      return typeof record['in'] === 'string' && typeof record['name'] === 'string' ? record['name'] : inherited;
    };

    // The spec's own structure, as a listener of the shared member walk: prose is checked by shape only;
    // examples, defaults and extensions switch to `walkData` (and the shared walk is told not to descend).
    // ownerAt[d] is the name that owns the container at depth d (a parameter's `name`, a property key);
    // namesAt[d] whether that container's keys are names (it is `properties`, `headers`, `variables`...).
    const ownerAt: (string | undefined)[] = [];
    const namesAt: boolean[] = [];
    let dataFile = false;
    visitMembers<SecretSighting>({
      cacheKey: '',
      member(memberDoc, walkPath, key, value, container, depth, emitSighting) {
        emit = emitSighting;
        if (memberDoc !== doc) {
          doc = memberDoc;
          // Example files pulled in by `$ref` (`examples/patient.json`) hold sample data from their root.
          dataFile = /[\\/]examples?[\\/][^\\/]*$/i.test(doc.uri);
          if (!dataFile) ownerAt[0] = ownerIn(doc.value, undefined);
        }
        if (dataFile) {
          // Each top-level member's data on its own (as walkData would reach it from the root), so what it emits
          // belongs to that member's subtree and can be replayed with it.
          path = [...walkPath];
          walkData(value, typeof key === 'number' || WRAPPER_KEYS.has(key) || key.includes('/') ? undefined : key, 'example');
          return false;
        }
        const owner = ownerAt[depth - 1];
        let childOwner = owner;
        if (!Array.isArray(container)) {
          const naming = depth >= 2 && namesAt[depth - 1] === true;
          const name = key as string;
          // Under `properties`, `headers`, `variables`... keys are names, even `example` or `x-foo`.
          if (naming) childOwner = name;
          else if (DATA_KEYS.has(name) || name.startsWith('x-')) {
            path = [...walkPath];
            walkData(value, DATA_KEYS.has(name) ? owner : name, name);
            return false;
          }
        }
        if (typeof value === 'string') {
          const shape = secretShapeIn(value, false);
          if (shape && shape !== SAMPLE_SHAPE) {
            path = [...walkPath];
            found(value, `contains ${shape.what}`, undefined, undefined, shape.match);
          }
          return false;
        }
        if (value === null || typeof value !== 'object') return false;
        ownerAt[depth] = Array.isArray(value) ? childOwner : ownerIn(value, childOwner);
        namesAt[depth] = typeof key === 'string' && NAMING_CONTAINERS.has(key);
        return true;
      },
      done(sightings) {
        // One finding per distinct secret per file; repeats of the same value become related locations.
        let byValue = new Map<string, { first: SecretSighting; repeats: Path[] }>();
        const flush = (file: SourceDocument) => {
          for (const [value, { first, repeats }] of byValue) {
            const more = repeats.length === 0 ? '' : ` The same value appears ${repeats.length} more time${repeats.length === 1 ? '' : 's'} in this file.`;
            report({
              node: { doc: file, path: first.path, value },
              part: 'value',
              ...(first.secret !== undefined ? { within: first.secret } : {}),
              message: messageFor(file, first.path, first.what, first.name, first.origin) + more,
              ...(repeats.length > 0
                ? { related: repeats.slice(0, MAX_RELATED).map((repeat) => ({ node: { doc: file, path: repeat, value }, part: 'value' as const, message: 'the same secret again' })) }
                : {}),
            });
          }
          byValue = new Map();
        };
        let file: SourceDocument | undefined;
        for (const { doc: sightingDoc, observation } of sightings) {
          if (sightingDoc !== file) {
            if (file) flush(file);
            file = sightingDoc;
          }
          const seen = byValue.get(observation.value);
          if (seen) seen.repeats.push(observation.path);
          else byValue.set(observation.value, { first: observation, repeats: [] });
        }
        if (file) flush(file);
      },
    });
  },
});

function messageFor(doc: SourceDocument, path: Path, what: string, name: string | undefined, origin: string | undefined): string {
  const where = locationOf(path);
  const subject =
    origin === undefined
      ? 'Text'
      : origin.startsWith('x-') && origin !== 'x-example' && origin !== 'x-examples'
        ? `Extension '${origin}' value`
        : origin === 'default'
          ? 'Default value'
          : 'Example value';
  const file = doc.uri.replace(/^.*[\\/]/, '');
  // Keys inside example data are whatever the author typed: name only field-like ones.
  const quotable = quotableFieldName(name);
  const field = quotable !== undefined && quotable !== origin ? ` of '${quotable}'` : '';
  return `${subject}${field}${where ? ` in ${where}` : ` in ${file}`} ${what}: a credential in an API description is published with it (portals, repositories, client SDKs); revoke it and use a placeholder.`;
}

/** `POST /login`, `schema 'Credentials'`, `servers`: where in the spec a node is, for messages. */
function locationOf(path: Path): string | undefined {
  const [first, second, third] = path;
  if (first === 'paths' && typeof second === 'string') {
    return typeof third === 'string' && /^(get|put|post|delete|options|head|patch|trace)$/.test(third) ? `${third.toUpperCase()} ${second}` : `path ${second}`;
  }
  if (first === 'webhooks' && typeof second === 'string') return `webhook '${second}'`;
  if (first === 'components' && typeof second === 'string' && typeof third === 'string') return `${COMPONENT_KINDS[second] ?? second} '${third}'`;
  if ((first === 'definitions' || first === 'parameters' || first === 'responses') && typeof second === 'string') {
    return `${first === 'definitions' ? 'definition' : first === 'parameters' ? 'parameter' : 'response'} '${second}'`;
  }
  if (first === 'securityDefinitions' && typeof second === 'string') return `security scheme '${second}'`;
  return typeof first === 'string' && TOP_LEVEL.has(first) ? `'${first}'` : undefined;
}
