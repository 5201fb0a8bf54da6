import { MAX_WALK_DEPTH, type ReplayableVisitor } from '../../server/src/engine/member-walk';
import type { SourceDocument } from '../../server/src/engine/documents/source-document';
import type { JsonPath } from '../../server/src/engine/json-pointer';
import type { ApiModel } from '../../server/src/engine/model/api-model';
import { classifyName, nameTokens } from '../../server/src/engine/phi/phi-classifier';
import { quotableFieldName } from '../../server/src/engine/message-safety';
import { defineRule } from '../../server/src/engine/rule';
import { isPlainObject, nodeKey, type SpecNode } from '../../server/src/engine/spec-node';
import { classifyExampleValue, type ValueKind } from './phi-value-patterns';

/** Keys whose value is example data. */
const EXAMPLE_KEYS = new Set(['example', 'examples', 'default', 'x-example', 'x-examples']);
/**
 * Maps whose keys are names chosen by the author, not keywords: a property called `example`, a response
 * called `default`, a component called `examples` are not example values.
 */
const NAME_MAPS = new Set(['properties', 'patternProperties', 'definitions', 'schemas', 'responses', 'parameters', 'headers', 'securitySchemes', 'securityDefinitions', 'paths', 'callbacks', 'links', 'requestBodies', 'pathItems', '$defs', 'mapping']);

/** Birth and death dates (Safe Harbor (C)); admission or visit dates are not checked, record timestamps never. */
const BIRTH_DEATH_TERMS = new Set(
  ['dateOfBirth', 'dob', 'birthDate', 'birthday', 'birthTime', 'dateOfDeath', 'deathDate', 'deceasedDateTime', 'deceasedDate', 'geburtsdatum', 'geburtstag', 'sterbedatum', 'todesdatum', 'death-date', 'PatientBirthDate'].map(
    (term) => nameTokens(term).join(''),
  ),
);
const SSN_TERMS = new Set(['ssn', 'socialSecurityNumber'].map((term) => nameTokens(term).join('')));

/** What to write instead, per kind of value. */
const REPLACEMENT_ADVICE: Record<ValueKind, string> = {
  ssn: 'use the textbook 123-45-6789 or the voided 078-05-1120',
  kvnr: 'use the documentation KVNR A123456780',
  mbi: "use CMS's sample MBI 1EG4-TE5-MK73",
  email: 'use an address at a reserved example domain (example.com, example.org)',
  phone: 'use a number reserved for fiction (555-0100 to 555-0199 in North America, +44 20 7946 0xxx in the UK)',
  'birth-date': 'use a year alone, or leave the example out',
};

interface FieldFlags {
  readonly ssn: boolean;
  readonly birth: boolean;
}

const NO_FIELD: FieldFlags = { ssn: false, birth: false };
const fieldCache = new Map<string, FieldFlags>();

/** What the name of the member holding a value says about it (memoised: example payloads repeat the same keys). */
function fieldFlags(name: string | undefined): FieldFlags {
  if (name === undefined) return NO_FIELD;
  let flags = fieldCache.get(name);
  if (!flags) {
    const joined = nameTokens(name).join('');
    const match = classifyName(name, true);
    const term = match ? nameTokens(match.term).join('') : '';
    flags = { ssn: SSN_TERMS.has(joined) || SSN_TERMS.has(term), birth: BIRTH_DEATH_TERMS.has(joined) || BIRTH_DEATH_TERMS.has(term) };
    if (fieldCache.size < 10_000) fieldCache.set(name, flags);
  }
  return flags;
}

/** What the example scan notes: a realistic value, or a `$ref` inside example data (walked after the files). */
type ExampleSighting =
  | { readonly hit: true; readonly path: JsonPath; readonly value: string; readonly kind: ValueKind; readonly description: string; readonly field: string | undefined }
  | { readonly hit: false; readonly path: JsonPath; readonly value: object };

/**
 * Walks example values with one shared path stack; only subtrees under example keys are inspected value by
 * value. What it finds goes to `sink`: the shared walk's `emit`, or a list for example files reached by `$ref`.
 */
class ExampleScanner {
  private readonly path: (string | number)[] = [];
  private sink: (sighting: ExampleSighting) => void = () => undefined;

  constructor(private readonly ownDomains: ReadonlySet<string>) {}

  /**
   * The spec-level part of the scan, as a listener of the engine's shared member walk: values under example
   * keys are inspected here (and the walk told not to descend); everything else is only passed through.
   * `isNameMap[d]` says whether the container at depth d is a name map (`properties`, `responses`...), whose
   * keys are names chosen by the author, never example keys; a name map's own members are not name maps.
   * Its sightings depend on the provider's own domains, hence the cache key.
   */
  memberVisitor(): Omit<ReplayableVisitor<ExampleSighting>, 'done'> {
    const isNameMap: boolean[] = [];
    // The object at each depth of the current path, for the owner of a `schema` holding an example.
    const objectsAt: unknown[] = [];
    return {
      cacheKey: [...this.ownDomains].sort().join(','),
      member: (_doc, path, key, value, container, depth, emit) => {
        const isObject = value !== null && typeof value === 'object';
        // Most members are scalars under other keys: nothing to note, nothing below.
        if (!isObject && (typeof key !== 'string' || !EXAMPLE_KEYS.has(key))) return false;
        if (Array.isArray(container)) {
          if (isObject) {
            isNameMap[depth] = false;
            objectsAt[depth] = value;
          }
          return isObject;
        }
        const inNameMap = depth > 1 && isNameMap[depth - 1] === true;
        if (!inNameMap && typeof key === 'string' && EXAMPLE_KEYS.has(key)) {
          this.sink = emit;
          this.path.length = 0;
          this.path.push(...path);
          // An example directly on a property or parameter is judged with that property's name.
          const schemaOwner = depth >= 3 && path[depth - 2] === 'schema' ? objectsAt[depth - 2] : undefined;
          this.walkExample(value, this.ownerName(container as Record<string, unknown>, path, schemaOwner), key === 'examples' || key === 'x-examples');
          return false;
        }
        if (isObject) {
          isNameMap[depth] = !inNameMap && NAME_MAPS.has(key as string);
          objectsAt[depth] = value;
        }
        return isObject;
      },
    };
  }

  scanExampleRoot(node: SpecNode, field: string | undefined, sink: (sighting: ExampleSighting) => void): void {
    this.sink = sink;
    this.path.length = 0;
    this.path.push(...node.path);
    this.walkExample(node.value, field);
  }

  /**
   * The field an example value belongs to: the parameter's `name`, or the property or header key the schema sits
   * under. `schemaOwner`: the object whose `schema` holds the example (a parameter or a header), if it does.
   */
  private ownerName(owner: Record<string, unknown>, examplePath: readonly (string | number)[], schemaOwner?: unknown): string | undefined {
    if (typeof owner['name'] === 'string' && typeof owner['in'] === 'string') return owner['name'];
    const length = examplePath.length - 1;
    if (length >= 2 && examplePath[length - 2] === 'properties') return String(examplePath[length - 1]);
    if (isPlainObject(schemaOwner)) {
      if (typeof schemaOwner['name'] === 'string' && typeof schemaOwner['in'] === 'string') return schemaOwner['name'];
      if (length >= 3 && examplePath[length - 3] === 'headers') return String(examplePath[length - 2]);
    }
    return undefined;
  }

  /** `examples` holds named examples (OpenAPI 3: `{summary, value}`; Swagger: by media type): their keys are not field names. */
  private walkExample(value: unknown, field: string | undefined, namedExamples = false): void {
    if (this.path.length > MAX_WALK_DEPTH) return;
    if (typeof value === 'string') {
      this.checkString(value, field);
      return;
    }
    if (typeof value === 'number') {
      // YAML reads `ssn: 123456789` as a number.
      if (Number.isInteger(value) && fieldFlags(field).ssn) this.checkString(String(value), field);
      return;
    }
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        this.path.push(index);
        this.walkExample(value[index], field);
        this.path.pop();
      }
      return;
    }
    if (!isPlainObject(value)) return;
    if (typeof value['$ref'] === 'string') {
      this.sink({ hit: false, path: [...this.path], value });
      return;
    }
    for (const key in value) {
      this.path.push(key);
      if (namedExamples) {
        const item = value[key];
        // An Example Object: only `value` is data; `summary`/`description` are prose.
        if (isPlainObject(item) && ('value' in item || 'summary' in item || 'externalValue' in item)) {
          if ('value' in item) {
            this.path.push('value');
            this.walkExample(item['value'], field);
            this.path.pop();
          }
        } else this.walkExample(item, field);
      } else {
        this.walkExample(value[key], key === 'value' && field !== undefined ? field : key);
      }
      this.path.pop();
    }
  }

  private checkString(value: string, field: string | undefined): void {
    if (value.length < 6 || value.length > 254) return;
    // Cheap pre-filter: every shape needs a digit or an `@`.
    if (!/[0-9@]/.test(value)) return;
    const match = classifyExampleValue(value, fieldFlags(field), this.ownDomains);
    if (match) this.sink({ hit: true, path: [...this.path], value, kind: match.kind, description: match.description, field });
  }
}

/** The provider's own registrable domains (servers, Swagger host, info.contact): addresses there are staff or mascots. */
function providerDomains(model: ApiModel): Set<string> {
  const domains = new Set<string>();
  const add = (host: string | undefined) => {
    const labels = host?.toLowerCase().replace(/:\d+$/, '').split('.').filter(Boolean) ?? [];
    if (labels.length < 2 || labels.every((label) => /^\d+$/.test(label))) return;
    // Keep three labels for two-letter second-level registries (nhs.uk is too broad; digital.nhs.uk is the provider).
    const keep = labels.length >= 3 && /^(co|com|org|gov|nhs|ac|net)$/.test(labels[labels.length - 2]!) && labels[labels.length - 1]!.length === 2 ? 3 : 2;
    domains.add(labels.slice(-keep).join('.'));
  };
  for (const server of model.servers) for (const url of server.expandedUrls) add(/^[a-z][a-z0-9+.-]*:\/\/([^/?#@]+)/i.exec(url)?.[1]);
  const root = model.root.value as Record<string, unknown>;
  if (typeof root['host'] === 'string') add(root['host']);
  const contact = isPlainObject(root['info']) && isPlainObject(root['info']['contact']) ? root['info']['contact'] : undefined;
  if (contact && typeof contact['email'] === 'string') add(contact['email'].split('@')[1]);
  if (contact && typeof contact['url'] === 'string') add(/^[a-z]+:\/\/([^/?#@]+)/i.exec(contact['url'])?.[1]);
  return domains;
}

/** Realistic identifiers in example, default and x-example values: specs are published, and examples are copied into tests, mocks and docs. */
export default defineRule({
  meta: {
    id: 'phi-in-example',
    category: 'phi-exposure',
    defaultSeverity: 'warning',
    description: 'Example or default value looks like a real identifier (SSN, KVNR, MBI, e-mail, phone number, date of birth).',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    references: { cwe: [359, 200], owaspApi: ['API3:2023'], hipaa: ['164.514(b)(2)', '164.502(b)'], gdpr: ['Art. 5(1)(f)', 'Art. 9'] },
  },
  check({ model, report, visitMembers }) {
    const scanner = new ExampleScanner(providerDomains(model));
    visitMembers<ExampleSighting>({
      ...scanner.memberVisitor(),
      done: (observed) => {
        const hits: { node: SpecNode; sighting: Extract<ExampleSighting, { hit: true }> }[] = [];
        const pendingRefs: SpecNode[] = [];
        const collect = (doc: SourceDocument, sighting: ExampleSighting) => {
          if (sighting.hit) hits.push({ node: { doc, path: sighting.path, value: sighting.value }, sighting });
          else pendingRefs.push({ doc, path: sighting.path, value: sighting.value });
        };
        for (const { doc, observation } of observed) collect(doc, observation);
        const visited = new Set<string>();
        for (let index = 0; index < pendingRefs.length && index < 10_000; index++) {
          const target = model.specs.deref(pendingRefs[index]!);
          // Targets under an example key (components/examples/X) were already walked with their file.
          if (!target || target.path.some((segment) => typeof segment === 'string' && EXAMPLE_KEYS.has(segment))) continue;
          if (isPlainObject(target.value) && '$ref' in target.value) continue;
          const key = nodeKey(target);
          if (visited.has(key)) continue;
          visited.add(key);
          // An external Example Object: only its `value` is data.
          const isExampleObject = isPlainObject(target.value) && ('value' in target.value || 'externalValue' in target.value) && !('type' in target.value);
          scanner.scanExampleRoot(
            isExampleObject ? { doc: target.doc, path: [...target.path, 'value'], value: (target.value as Record<string, unknown>)['value'] } : target,
            undefined,
            (sighting) => collect(target.doc, sighting),
          );
        }
        const reported = new Set<string>();
        for (const { node, sighting } of hits) {
          const key = nodeKey(node);
          if (reported.has(key)) continue;
          reported.add(key);
          // Keys inside example data are whatever the author typed: name only field-like ones.
          const field = quotableFieldName(sighting.field);
          const where = field ? ` of '${field}'` : '';
          report({
            node,
            part: 'value',
            message: `Example value${where} is ${sighting.description}. Published examples end up in docs, mocks and tests; ${REPLACEMENT_ADVICE[sighting.kind]}.`,
          });
        }
      },
    });
  },
});
