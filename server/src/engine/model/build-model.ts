import { classificationOf, classifyName, declaredClassification, isDicomPhiQueryKey, isFhirPhiResource, isFhirSearchParamCarryingPhi, isPersonScoped, namesPerson, singlesOutPerson, type PhiMatch } from '../phi/phi-classifier';
import { childOf, entriesOf, isPlainObject, itemsOf, pathIfBuilt, stringValue, type PlainObject, type SpecNode } from '../spec-node';
import type { SpecSet } from '../spec-set';
import {
  HTTP_METHODS,
  type ApiModel,
  type EffectiveSecurity,
  type HealthPathInfo,
  type HttpMethod,
  type OAuthFlow,
  type OAuthFlowKind,
  type OpenApiVersion,
  type Operation,
  type OperationPhi,
  type Parameter,
  type PhiField,
  type ResponseInfo,
  type SecurityAlternative,
  type SecurityScheme,
  type ServerUrl,
} from './api-model';
import { addressesOnePatient, ANY_PATH, countsOnPath, evidenceRank, isCareRecipientPath, isHealthGrade, isPatientPath, isReferenceDataPath, type PathContext } from '../phi/health-grade';
import { healthPathInfo } from './health-paths';
import { isPublicByDesign } from './public-endpoints';
import { newSchemaMemos, type PropertyFact, type PropertyFacts, type SchemaMemos, type SchemaMemoSession } from './schema-memos';

export interface ModelOptions {
  /** Extra public-by-design path patterns from the config (`/status`, `/docs/*`). */
  readonly publicEndpoints?: readonly string[];
}

const MAX_PHI_FIELDS_PER_SCHEMA = 50;
/** Schemas nested (through properties and `$ref`s) deeper than this are not searched: no real spec needs it, a hostile one would overflow the stack. */
const MAX_SCHEMA_DEPTH = 256;
const COMBINATORS = ['allOf', 'oneOf', 'anyOf'] as const;
const DECLARED_PHI: PhiMatch = { category: 'declared', weight: 'high', term: 'x-phi', strength: 'strong' };

const NESTED_SCHEMAS = ['items', 'additionalProperties', 'not'] as const;
/** Keywords under which a schema holds other schemas: one with none of them (most property schemas) has no PHI fields. */
const SCHEMA_HOLDERS: ReadonlySet<string> = new Set(['properties', ...COMBINATORS, ...NESTED_SCHEMAS]);

/**
 * Read by enumerating the schema's own keys: a property load by name on the thousands of differently shaped
 * objects of a large spec misses V8's inline caches, and costs several times a step of the key enumeration.
 */
function holdsSchemas(schema: PlainObject): boolean {
  for (const key in schema) if (SCHEMA_HOLDERS.has(key)) return true;
  return false;
}

/** What a property's schema says of itself, in one pass over its keys (see `holdsSchemas`). */
interface PropertySchemaSummary {
  readonly declared: 'phi' | 'public' | undefined;
  readonly pattern: unknown;
  readonly holdsSchemas: boolean;
}

const NOT_A_SCHEMA: PropertySchemaSummary = { declared: undefined, pattern: undefined, holdsSchemas: false };

function summarizePropertySchema(schema: unknown): PropertySchemaSummary {
  if (!isPlainObject(schema)) return NOT_A_SCHEMA;
  let xPhi: unknown;
  let xPii: unknown;
  let classification: unknown;
  let pattern: unknown;
  let holds = false;
  for (const key in schema) {
    if (key === 'pattern') pattern = schema[key];
    else if (key === 'x-phi') xPhi = schema[key];
    else if (key === 'x-pii') xPii = schema[key];
    else if (key === 'x-data-classification') classification = schema[key];
    else if (!holds && SCHEMA_HOLDERS.has(key)) holds = true;
  }
  return { declared: classificationOf(xPhi, xPii, classification), pattern, holdsSchemas: holds };
}

/** Parameter names that carry a credential, as APIs without security schemes declare them. */
const CREDENTIAL_PARAMETER = /^(authorization|proxy-authorization|x-?api-?key|api[-_]?key|apikey|x-?app-?key|app[-_]?key|x-?auth-?token|auth[-_]?token|x-?access-?token|access[-_]?token|x-?session-?token|session[-_]?token|x-?client-?secret|ocp-apim-subscription-key|x-?functions-?key|bearer|token)$/i;

const MAX_SERVER_EXPANSIONS = 32;

export function detectVersion(root: unknown): OpenApiVersion | undefined {
  if (!isPlainObject(root)) return undefined;
  if (/^2(\.0)?$/.test(String(root['swagger'] ?? ''))) return '2.0';
  // A YAML number (`openapi: 3.0` reads as 3) is taken as written: 3 and 3.0 are 3.0, 3.1 and later are 3.1.
  const openapi = String(root['openapi'] ?? '');
  if (!/^3(\.\d+)*$/.test(openapi)) return undefined;
  return openapi === '3' || openapi.startsWith('3.0') ? '3.0' : '3.1';
}

/** What a path's text says about PHI; the same for every operation and every lint, so memoised by path. */
interface PathFacts {
  readonly health: HealthPathInfo;
  /** A segment names a person (`/patients/...`). */
  readonly segmentsNamePerson: boolean;
  /** A segment or the FHIR resource type names a person. */
  readonly namesPerson: boolean;
  readonly where: PathContext;
  readonly addressesOnePatient: boolean;
  /** A catalogue or directory path (`/formulary/drugs`, `/providers`): see `isReferenceDataPath`. */
  readonly referenceData: boolean;
}

const pathFactsMemo = new Map<string, PathFacts>();

const DICOM_MEDIA_TYPE = /^(application\/dicom\b|multipart\/related\b.*application\/dicom)/i;
const DICOM_MEDIA_HEALTH: HealthPathInfo = { dicomweb: true, dicomMedia: true, carriesPhi: true, description: 'DICOM media type (DICOM objects carry patient demographics)' };

function pathFacts(path: string): PathFacts {
  let facts = pathFactsMemo.get(path);
  if (!facts) {
    const health = healthPathInfo(path);
    const segments = path.split('/').filter(Boolean);
    const segmentsNamePerson = isPersonScoped(segments);
    facts = {
      health,
      segmentsNamePerson,
      namesPerson: isPersonScoped(health.fhirType ? [...segments, health.fhirType] : segments),
      where: { carePath: isCareRecipientPath(path), patientPath: isPatientPath(path) },
      addressesOnePatient: addressesOnePatient(path),
      referenceData: !health.carriesPhi && !segmentsNamePerson && isReferenceDataPath(path),
    };
    if (pathFactsMemo.size >= 20_000) pathFactsMemo.clear();
    pathFactsMemo.set(path, facts);
  }
  return facts;
}

/**
 * Builds the API model of one spec. Throws only if the root is not OpenAPI (callers check first).
 * `memos`: the PHI search's per-schema results, when kept from earlier lints (see `SchemaMemoCache`).
 */
export function buildApiModel(specs: SpecSet, options: ModelOptions = {}, memos: SchemaMemoSession = { memos: newSchemaMemos() }): ApiModel {
  const root = specs.rootNode();
  const version = detectVersion(root.value);
  if (!version) throw new Error('not an OpenAPI document');
  const builder = new ModelBuilder(specs, version, options, memos);
  return builder.build(root);
}

class ModelBuilder {
  /** Memos that may be kept across lints (results no cycle cut short), and this lint's own for the others. */
  private readonly memos: SchemaMemos;
  private readonly lintOnly = newSchemaMemos();
  private readonly keep: (node: SpecNode) => SpecNode;
  /** Schemas on the current search path, with their depth on it. */
  private readonly inProgress = new Map<object, number>();
  /**
   * The shallowest depth on the search path that the current search met again (a cycle) or was cut at (-1: the
   * depth limit, or a result that was itself cut): a result that depends on a cut above its own schema depends on
   * where the search came in, so it is memoised for this lint only.
   */
  private lowestCut = Infinity;

  constructor(private readonly specs: SpecSet, private readonly version: OpenApiVersion, private readonly options: ModelOptions, session: SchemaMemoSession) {
    this.memos = session.memos;
    this.keep = session.keep ?? ((node) => node);
  }

  build(root: SpecNode): ApiModel {
    const specs = this.specs;
    const securitySchemes = this.securitySchemes(root);
    const rootSecurity = childOf(root, 'security');
    const servers: ServerUrl[] = [...this.serversAt(root, 'root')];
    const operations: Operation[] = [];
    for (const [path, pathItemRef] of entriesOf(childOf(root, 'paths'))) {
      if (path.startsWith('x-')) continue;
      const pathItem = specs.deref(pathItemRef);
      if (!pathItem || !isPlainObject(pathItem.value)) continue;
      servers.push(...this.serversAt(pathItem, 'path'));
      for (const method of HTTP_METHODS) {
        const operationNode = childOf(pathItem, method);
        if (!operationNode || !isPlainObject(operationNode.value)) continue;
        servers.push(...this.serversAt(operationNode, 'operation'));
        operations.push(this.operation(path, method, pathItem, operationNode, rootSecurity));
      }
    }
    return {
      version: this.version,
      specs,
      root,
      servers,
      securitySchemes,
      ...(rootSecurity ? { rootSecurity } : {}),
      operations,
      phiFieldsOfSchema: (schema, contextNames) => this.phiFieldsOfSchema(schema, isPersonScoped(contextNames)),
    };
  }

  // --- servers -------------------------------------------------------------

  private serversAt(owner: SpecNode, level: ServerUrl['level']): ServerUrl[] {
    if (this.version === '2.0') return level === 'path' ? [] : this.swaggerServers(owner, level);
    const result: ServerUrl[] = [];
    for (const serverRef of itemsOf(childOf(owner, 'servers'))) {
      const server = this.specs.deref(serverRef);
      const urlNode = childOf(server, 'url');
      const url = stringValue(urlNode);
      if (!urlNode || url === undefined) continue;
      result.push({ node: urlNode, url, expandedUrls: expandServerVariables(url, childOf(server, 'variables')), level });
    }
    return result;
  }

  /** Swagger 2 has no server URLs: `schemes` x `host` + `basePath`; each scheme entry is the node a finding points at. */
  private swaggerServers(owner: SpecNode, level: ServerUrl['level']): ServerUrl[] {
    const root = this.specs.rootNode();
    const host = stringValue(childOf(root, 'host')) ?? '';
    const basePath = stringValue(childOf(root, 'basePath')) ?? '';
    return itemsOf(childOf(owner, 'schemes')).flatMap((schemeNode) => {
      const scheme = stringValue(schemeNode);
      if (!scheme) return [];
      const url = `${scheme}://${host}${basePath}`;
      return [{ node: schemeNode, url, expandedUrls: [url], level }];
    });
  }

  // --- security ------------------------------------------------------------

  private securitySchemes(root: SpecNode): Map<string, SecurityScheme> {
    const container = this.version === '2.0' ? childOf(root, 'securityDefinitions') : childOf(this.specs.deref(childOf(root, 'components')), 'securitySchemes');
    const schemes = new Map<string, SecurityScheme>();
    for (const [name, declaration] of entriesOf(this.specs.deref(container))) {
      const node = this.specs.deref(declaration);
      if (!node || !isPlainObject(node.value)) continue;
      schemes.set(name, this.securityScheme(name, declaration, node));
    }
    return schemes;
  }

  private securityScheme(name: string, declaration: SpecNode, node: SpecNode): SecurityScheme {
    const rawType = stringValue(childOf(node, 'type')) ?? '';
    const type: SecurityScheme['type'] =
      rawType === 'basic' ? 'http' : (['apiKey', 'http', 'oauth2', 'openIdConnect', 'mutualTLS'] as const).find((known) => known === rawType) ?? 'unknown';
    const httpScheme = rawType === 'basic' ? 'basic' : stringValue(childOf(node, 'scheme'))?.toLowerCase();
    const apiKeyIn = stringValue(childOf(node, 'in'));
    const openIdConnectUrl = childOf(node, 'openIdConnectUrl');
    return {
      name,
      node,
      declaration,
      type,
      ...(httpScheme ? { httpScheme } : {}),
      ...(apiKeyIn ? { apiKeyIn } : {}),
      flows: type === 'oauth2' ? this.oauthFlows(node) : [],
      ...(openIdConnectUrl ? { openIdConnectUrl } : {}),
    };
  }

  private oauthFlows(scheme: SpecNode): OAuthFlow[] {
    const urlsOf = (owner: SpecNode) =>
      ['authorizationUrl', 'tokenUrl', 'refreshUrl'].map((key) => childOf(owner, key)).filter((url): url is SpecNode => typeof url?.value === 'string');
    const scopesOf = (owner: SpecNode) => entriesOf(childOf(owner, 'scopes')).map(([scope, node]) => ({ scope, node }));
    if (this.version === '2.0') {
      const flowNode = childOf(scheme, 'flow');
      const swaggerFlow = stringValue(flowNode);
      const kind: Record<string, OAuthFlowKind> = { implicit: 'implicit', password: 'password', application: 'clientCredentials', accessCode: 'authorizationCode' };
      if (!flowNode || !swaggerFlow || !kind[swaggerFlow]) return [];
      return [{ kind: kind[swaggerFlow]!, node: flowNode, urls: urlsOf(scheme), scopes: scopesOf(scheme) }];
    }
    return entriesOf(childOf(scheme, 'flows'))
      .filter(([kind]) => ['implicit', 'password', 'clientCredentials', 'authorizationCode'].includes(kind))
      .map(([kind, flowNode]) => ({ kind: kind as OAuthFlowKind, node: flowNode, urls: urlsOf(flowNode), scopes: scopesOf(flowNode) }));
  }

  private effectiveSecurity(operation: SpecNode, rootSecurity: SpecNode | undefined): EffectiveSecurity {
    const own = childOf(operation, 'security');
    const inForce = own && Array.isArray(own.value) ? own : rootSecurity && Array.isArray(rootSecurity.value) ? rootSecurity : undefined;
    if (!inForce) return { source: 'none', alternatives: [], allowsAnonymous: true };
    const alternatives: SecurityAlternative[] = itemsOf(inForce).map((alternative) => ({
      node: alternative,
      schemes: entriesOf(alternative).map(([schemeName, schemeNode]) => ({
        schemeName,
        node: schemeNode,
        scopes: itemsOf(schemeNode).flatMap((scopeNode) => (typeof scopeNode.value === 'string' ? [{ scope: scopeNode.value, node: scopeNode }] : [])),
      })),
    }));
    return {
      source: inForce === own ? 'operation' : 'root',
      node: inForce,
      alternatives,
      // `security: []` removes all requirements; an `{}` entry makes every other alternative optional.
      allowsAnonymous: alternatives.length === 0 || alternatives.some((alternative) => alternative.schemes.length === 0),
    };
  }

  // --- operations ----------------------------------------------------------

  private operation(path: string, method: HttpMethod, pathItem: SpecNode, node: SpecNode, rootSecurity: SpecNode | undefined): Operation {
    const facts = pathFacts(path);
    const parameters = this.parameters(path, pathItem, node, facts.health.fhirType);
    const requestSchemas = this.requestSchemas(node, parameters);
    const responses = this.responses(node);
    // DICOM media types make a path DICOMweb whatever its name (a bare `/studies` is also a clinical trial's).
    const health = facts.health.carriesPhi || !this.exchangesDicom(node, responses) ? facts.health : DICOM_MEDIA_HEALTH;
    const declaredPhi = declaredClassification(node.value);
    let evidence: OperationPhi | undefined;
    const computeEvidence = (): OperationPhi => {
      const personScoped = facts.namesPerson || health.carriesPhi;
      const where = facts.where;
      const phiParameters = parameters.filter((parameter) => parameter.phi);
      const successSchemas = responses.filter((response) => /^(2\d\d|2XX|default)$/i.test(response.status)).flatMap((response) => response.schemas);
      // Whether and why the operation carries PHI needs one telling field, found by a search that stops at the
      // first health-grade one; the full field lists are built only for rules that ask for them.
      const best = (schemas: readonly SpecNode[]) => bestByRank(schemas.map((schema) => this.bestPhiField(schema, personScoped)), where);
      const isPhiEvidence = (field: PhiField | undefined): field is PhiField =>
        field !== undefined && evidenceRank(field, where) <= 1 && countsOnPath(field.match, facts.referenceData);
      const healthParameter = phiParameters.find((parameter) => isHealthGrade(parameter.phi));
      let reason: string | undefined;
      let personalData: string | undefined;
      const response = best(successSchemas);
      const request = isPhiEvidence(response) ? undefined : best(requestSchemas);
      if (declaredPhi === 'phi') reason = 'operation is marked as PHI';
      else if (health.carriesPhi) reason = health.description;
      else if (isPhiEvidence(response)) reason = `response field '${response.name}'`;
      else if (isPhiEvidence(request)) reason = `request field '${request.name}'`;
      else if (healthParameter) reason = `parameter '${healthParameter.name}'`;
      else if (facts.addressesOnePatient) reason = `path addresses one patient's records`;
      else {
        // Personal data without health context (an e-mail, a name): worth knowing, but not PHI on its own.
        const weak = response ?? request ?? phiParameters[0];
        if (weak) personalData = weak === phiParameters[0] ? `parameter '${weak.name}'` : `${weak === response ? 'response' : 'request'} field '${weak.name}'`;
      }
      const carriesPhi = declaredPhi === 'phi' || (declaredPhi !== 'public' && reason !== undefined);
      let responseFields: readonly PhiField[] | undefined;
      let requestFields: readonly PhiField[] | undefined;
      const fieldsOf = (schemas: readonly SpecNode[]) => schemas.flatMap((schema) => this.phiFieldsOfSchema(schema, personScoped));
      return {
        carriesPhi,
        ...(carriesPhi && reason ? { reason } : {}),
        ...(!carriesPhi && personalData ? { personalData } : {}),
        parameters: phiParameters,
        get responseFields() {
          return (responseFields ??= fieldsOf(successSchemas));
        },
        get requestFields() {
          return (requestFields ??= fieldsOf(requestSchemas));
        },
      };
    };
    const operationId = stringValue(childOf(node, 'operationId'));
    return {
      method,
      path,
      node,
      pathItem,
      ...(operationId ? { operationId } : {}),
      security: this.effectiveSecurity(node, rootSecurity),
      parameters,
      requestSchemas,
      responses,
      health,
      ...(declaredPhi ? { declaredPhi } : {}),
      phiEvidence: () => (evidence ??= computeEvidence()),
      // A CORS preflight (`OPTIONS`) is sent by browsers without credentials, so it cannot require them.
      isPublicByDesign: method === 'options' || isPublicByDesign(path, node.value, this.options.publicEndpoints),
      credentialParameters: parameters.filter((parameter) => parameter.in !== 'path' && parameter.in !== 'body' && CREDENTIAL_PARAMETER.test(parameter.name)),
    };
  }

  /** Path-level parameters merged with operation-level ones; the operation wins on the same name and location. */
  private parameters(path: string, pathItem: SpecNode, operation: SpecNode, fhirType: string | undefined): Parameter[] {
    const byKey = new Map<string, Parameter>();
    const facts = pathFacts(path);
    const personScoped = facts.segmentsNamePerson || (fhirType !== undefined && isFhirPhiResource(fhirType));
    for (const owner of [pathItem, operation]) {
      for (const parameterRef of itemsOf(childOf(owner, 'parameters'))) {
        const node = this.specs.deref(parameterRef);
        const name = stringValue(childOf(node, 'name'));
        const location = stringValue(childOf(node, 'in'));
        if (!node || name === undefined || location === undefined) continue;
        const schema = this.specs.deref(childOf(node, 'schema'));
        const match = this.parameterPhi(name, location, node, personScoped, fhirType, path);
        const phi = match && countsOnPath(match, facts.referenceData) ? match : undefined;
        byKey.set(`${location}:${name}`, { name, in: location, node, ...(schema ? { schema } : {}), ...(phi ? { phi } : {}) });
      }
    }
    const parameters = [...byKey.values()];
    // A strong identifying term among the parameters makes their set about a person, as a patient path does:
    // `?lastName=&zip=` is a person's ZIP code (the vocabulary's sibling rule for context terms).
    // A FHIR resource type decides for itself (`/Practitioner?family=&email=` is a clinician's).
    if (!personScoped && fhirType === undefined && singlesOutPerson(parameters)) {
      return parameters.map((parameter) => {
        if (parameter.phi) return parameter;
        const phi = this.parameterPhi(parameter.name, parameter.in, parameter.node, true, fhirType, path);
        return phi && countsOnPath(phi, facts.referenceData) ? { ...parameter, phi } : parameter;
      });
    }
    return parameters;
  }

  private parameterPhi(name: string, location: string, node: SpecNode, personScoped: boolean, fhirType: string | undefined, path: string): PhiMatch | undefined {
    const declared = declaredClassification(node.value) ?? declaredClassification(this.specs.deref(childOf(node, 'schema'))?.value);
    if (declared === 'public') return undefined;
    if (declared === 'phi') return { category: 'declared', weight: 'high', term: 'x-phi', strength: 'strong' };
    if (location === 'query' && fhirType && isFhirPhiResource(fhirType) && isFhirSearchParamCarryingPhi(name)) {
      return { category: 'fhir-search', weight: 'high', term: name, strength: 'strong' };
    }
    if (location === 'query' && /(^|\/)(studies|series|instances|wado)(\/|$)/i.test(path) && isDicomPhiQueryKey(name)) {
      return { category: 'dicom-query', weight: 'high', term: name, strength: 'strong' };
    }
    if (location === 'body' || location === 'formData') return undefined;
    return classifyName(name, personScoped);
  }

  /** Whether the operation sends or returns DICOM (`application/dicom`, `application/dicom+json`, multipart of DICOM). */
  private exchangesDicom(operation: SpecNode, responses: readonly ResponseInfo[]): boolean {
    const value = operation.value as PlainObject;
    const mediaTypes: unknown[] = [];
    for (const key of ['produces', 'consumes']) if (Array.isArray(value[key])) mediaTypes.push(...(value[key] as unknown[]));
    const body = this.version === '2.0' ? undefined : this.specs.deref(childOf(operation, 'requestBody'))?.value;
    for (const owner of [body, ...responses.map((response) => response.node.value)]) {
      const content = isPlainObject(owner) ? owner['content'] : undefined;
      if (isPlainObject(content)) mediaTypes.push(...Object.keys(content));
    }
    return mediaTypes.some((type) => typeof type === 'string' && DICOM_MEDIA_TYPE.test(type));
  }

  private requestSchemas(operation: SpecNode, parameters: readonly Parameter[]): SpecNode[] {
    if (this.version === '2.0') {
      return parameters.filter((parameter) => parameter.in === 'body' && parameter.schema).map((parameter) => parameter.schema!);
    }
    const body = this.specs.deref(childOf(operation, 'requestBody'));
    return this.mediaSchemas(body);
  }

  private mediaSchemas(owner: SpecNode | undefined): SpecNode[] {
    return entriesOf(childOf(owner, 'content')).flatMap(([, media]) => {
      const schema = childOf(this.specs.deref(media), 'schema');
      return schema ? [schema] : [];
    });
  }

  private responses(operation: SpecNode): ResponseInfo[] {
    return entriesOf(this.specs.deref(childOf(operation, 'responses'))).flatMap(([status, key]) => {
      if (status.startsWith('x-')) return [];
      const node = this.specs.deref(key);
      if (!node || !isPlainObject(node.value)) return [];
      const swaggerSchema = childOf(node, 'schema');
      const schemas = this.version === '2.0' ? (swaggerSchema ? [swaggerSchema] : []) : this.mediaSchemas(node);
      const headerNames = entriesOf(this.specs.deref(childOf(node, 'headers'))).map(([name]) => name);
      return [{ status, node, key, headerNames, schemas }];
    });
  }

  // --- PHI in schemas ------------------------------------------------------

  /** PHI fields of a schema and everything it contains, memoised per schema so shared components are walked once. */
  private phiFieldsOfSchema(schemaRef: SpecNode, personScoped: boolean): PhiField[] {
    const schema = this.specs.deref(schemaRef);
    if (!schema || !isPlainObject(schema.value) || !holdsSchemas(schema.value)) return [];
    if (this.inProgress.size > MAX_SCHEMA_DEPTH) return this.cut(-1, []);
    const scoped = personScoped || this.schemaIsPersonScoped(schema);
    const key = schema.value;
    const kept = (scoped ? this.memos.phi.scoped : this.memos.phi.unscoped).get(key);
    if (kept) return kept;
    const own = (scoped ? this.lintOnly.phi.scoped : this.lintOnly.phi.unscoped).get(key);
    if (own) return this.cut(-1, own);
    const onPath = this.inProgress.get(key);
    if (onPath !== undefined) return this.cut(onPath, []);
    const fields: PhiField[] = [];
    const cutShort = this.search(key, () => {
      if (declaredClassification(schema.value) !== 'public') this.collectPhiFields(schema, scoped, fields);
    });
    const result = fields.slice(0, MAX_PHI_FIELDS_PER_SCHEMA);
    const table = cutShort ? this.lintOnly.phi : this.memos.phi;
    (scoped ? table.scoped : table.unscoped).set(key, result);
    return result;
  }

  /** Notes a cut at search-path depth `depth` (see `lowestCut`) and returns `result`. */
  private cut<T>(depth: number, result: T): T {
    this.lowestCut = Math.min(this.lowestCut, depth);
    return result;
  }

  /** Runs the search of one schema with it on the search path; true when a cut above it shaped the result. */
  private search(key: object, run: () => void): boolean {
    const depth = this.inProgress.size;
    const outer = this.lowestCut;
    this.inProgress.set(key, depth);
    this.lowestCut = Infinity;
    try {
      run();
    } finally {
      this.inProgress.delete(key);
    }
    const cutShort = this.lowestCut < depth;
    // A cycle back to this schema itself is the same wherever the search came in from.
    this.lowestCut = Math.min(outer, cutShort ? this.lowestCut : Infinity);
    return cutShort;
  }

  /**
   * The properties of a schema with what is known of them regardless of scope: the dereferenced schema, an
   * explicit classification, and a strong vocabulary match. Shared by the full and the best-field searches.
   */
  private propertyFacts(schema: SpecNode): PropertyFacts {
    const key = schema.value as object;
    let facts = this.memos.propertyFacts.get(key);
    if (facts) return facts;
    const properties: PropertyFact[] = [];
    let hasStrongSibling = false;
    for (const [name, propertyKey] of entriesOf(this.specs.deref(childOf(schema, 'properties')))) {
      const property = this.specs.deref(propertyKey);
      const summary = summarizePropertySchema(property?.value);
      if (summary.declared === 'public') continue;
      const strong = summary.declared === 'phi' ? DECLARED_PHI : (classifyName(name, false) ?? patternHint(summary.pattern));
      if (strong) hasStrongSibling = true;
      properties.push({ name, key: this.keep(propertyKey), property: property && this.keep(property), nested: summary.holdsSchemas, strong, namesPerson: namesPerson(name) });
    }
    facts = { properties, hasStrongSibling };
    this.memos.propertyFacts.set(key, facts);
    return facts;
  }

  /** A property's match in its object: strong terms always; context terms and `format: email` only in a person-scoped object. */
  private propertyMatch(fact: PropertyFact, siblingScoped: boolean): PhiMatch | undefined {
    if (fact.strong || !siblingScoped) return fact.strong;
    return classifyName(fact.name, true) ?? formatHint(fact.property?.value, true);
  }

  private collectPhiFields(schema: SpecNode, scoped: boolean, fields: PhiField[]): void {
    const { properties, hasStrongSibling } = this.propertyFacts(schema);
    // A strong PHI sibling (birthDate) makes the object person-scoped, so `gender` or `city` beside it count too.
    const siblingScoped = scoped || hasStrongSibling;
    for (const fact of properties) {
      const match = this.propertyMatch(fact, siblingScoped);
      if (match) fields.push({ name: fact.name, node: fact.key, match });
      if (fact.nested && fact.property && fields.length < MAX_PHI_FIELDS_PER_SCHEMA) {
        fields.push(...this.phiFieldsOfSchema(fact.property, siblingScoped || fact.namesPerson));
      }
    }
    for (const combinator of COMBINATORS) {
      for (const part of itemsOf(childOf(schema, combinator))) fields.push(...this.phiFieldsOfSchema(part, scoped));
    }
    for (const nested of NESTED_SCHEMAS) {
      const child = childOf(schema, nested);
      if (child && isPlainObject(child.value)) fields.push(...this.phiFieldsOfSchema(child, scoped));
    }
  }

  /**
   * The most telling PHI field of a schema (high weight first), searching no further once a high-weight field
   * is found; memoised per schema like the full lists. Enough to decide whether an operation carries PHI.
   */
  private bestPhiField(schemaRef: SpecNode, personScoped: boolean): PhiField | undefined {
    const schema = this.specs.deref(schemaRef);
    if (!schema || !isPlainObject(schema.value) || !holdsSchemas(schema.value)) return undefined;
    if (this.inProgress.size > MAX_SCHEMA_DEPTH) return this.cut(-1, undefined);
    const scoped = personScoped || this.schemaIsPersonScoped(schema);
    const key = schema.value;
    const kept = (scoped ? this.memos.best.scoped : this.memos.best.unscoped).get(key);
    if (kept !== undefined) return kept ?? undefined;
    const own = (scoped ? this.lintOnly.best.scoped : this.lintOnly.best.unscoped).get(key);
    if (own !== undefined) return this.cut(-1, own ?? undefined);
    // A complete field list answers it too (a truncated one might miss the best field).
    const full = (scoped ? this.memos.phi.scoped : this.memos.phi.unscoped).get(key);
    if (full && full.length < MAX_PHI_FIELDS_PER_SCHEMA) return bestByRank(full, ANY_PATH);
    const onPath = this.inProgress.get(key);
    if (onPath !== undefined) return this.cut(onPath, undefined);
    if (declaredClassification(schema.value) === 'public') return undefined;
    let best: PhiField | undefined;
    let bestRank = Infinity;
    // Ranked as if on a care-recipient path (person names rank 1); the operation re-judges names by its own path.
    const consider = (field: PhiField | undefined) => {
      if (field) {
        const rank = evidenceRank(field, ANY_PATH);
        if (rank < bestRank) {
          best = field;
          bestRank = rank;
        }
      }
      return bestRank === 0;
    };
    const cutShort = this.search(key, () => {
      const { properties, hasStrongSibling } = this.propertyFacts(schema);
      const siblingScoped = scoped || hasStrongSibling;
      for (const fact of properties) {
        const match = this.propertyMatch(fact, siblingScoped);
        if (match && consider({ name: fact.name, node: fact.key, match })) return;
        if (fact.nested && fact.property && consider(this.bestPhiField(fact.property, siblingScoped || fact.namesPerson))) return;
      }
      for (const combinator of COMBINATORS) {
        for (const part of itemsOf(childOf(schema, combinator))) if (consider(this.bestPhiField(part, scoped))) return;
      }
      for (const nested of NESTED_SCHEMAS) {
        const child = childOf(schema, nested);
        if (child && isPlainObject(child.value) && consider(this.bestPhiField(child, scoped))) return;
      }
    });
    const table = cutShort ? this.lintOnly.best : this.memos.best;
    (scoped ? table.scoped : table.unscoped).set(key, best ?? null);
    return best;
  }

  /** A component named `Patient`/`Member`, or a FHIR resource schema whose `resourceType` names a PHI type. */
  private schemaIsPersonScoped(schema: SpecNode): boolean {
    const key = schema.value as object;
    let scoped = this.memos.personScoped.get(key);
    if (scoped === undefined) this.memos.personScoped.set(key, (scoped = this.computeSchemaIsPersonScoped(schema)));
    return scoped;
  }

  private computeSchemaIsPersonScoped(schema: SpecNode): boolean {
    // Components are reached through `$ref`, whose targets know their path; inline schemas are never components.
    const path = pathIfBuilt(schema) ?? [];
    const componentName =
      path.length === 3 && path[0] === 'components' && path[1] === 'schemas' ? String(path[2]) : path.length === 2 && path[0] === 'definitions' ? String(path[1]) : undefined;
    const fileName = path.length === 0 && pathIfBuilt(schema) !== undefined ? schema.doc.uri.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '') : undefined;
    const names = [componentName, fileName].filter((name): name is string => name !== undefined);
    if (names.length > 0 && isPersonScoped(names)) return true;
    const resourceType = this.specs.deref(childOf(this.specs.deref(childOf(schema, 'properties')), 'resourceType'));
    const values = [...(Array.isArray((resourceType?.value as { enum?: unknown })?.enum) ? ((resourceType!.value as { enum: unknown[] }).enum) : []), (resourceType?.value as { const?: unknown })?.const, (resourceType?.value as { default?: unknown })?.default];
    return values.some((value) => typeof value === 'string' && isFhirPhiResource(value));
  }
}

/** The most telling field as PHI evidence (see `evidenceRank`); the first of equals. */
function bestByRank(fields: readonly (PhiField | undefined)[], where: PathContext): PhiField | undefined {
  let best: PhiField | undefined;
  let bestRank = Infinity;
  for (const field of fields) {
    if (!field) continue;
    const rank = evidenceRank(field, where);
    if (rank < bestRank) {
      best = field;
      bestRank = rank;
    }
  }
  return best;
}

/** `format: email` is contact data wherever it appears in a person-scoped object. */
function formatHint(schema: unknown, scoped: boolean): PhiMatch | undefined {
  if (!scoped || !isPlainObject(schema)) return undefined;
  if (schema['format'] === 'email') return { category: 'contact', weight: 'medium', term: 'format: email', strength: 'context' };
  return undefined;
}

/** A `pattern` that only a national or health identifier matches says what the field holds, whatever its name. */
function patternHint(pattern: unknown): PhiMatch | undefined {
  const identifier = typeof pattern !== 'string' ? undefined : IDENTIFIER_PATTERNS.find(([shape]) => shape.test(pattern));
  return identifier ? { category: identifier[1], weight: 'high', term: `pattern: ${identifier[2]}`, strength: 'strong' } : undefined;
}

/** Regular expressions in schemas that describe identifiers: [recogniser of the pattern text, vocabulary category, label]. */
const IDENTIFIER_PATTERNS: readonly [RegExp, string, string][] = [
  // US SSN: \d{3}-\d{2}-\d{4} and its variants with [0-9] or optional dashes.
  [/^\^?(\\d|\[0-9\])\{3\}-\??(\\d|\[0-9\])\{2\}-\??(\\d|\[0-9\])\{4\}\$?$/, 'government-id', 'SSN'],
  // German KVNR (10-character part): a capital letter and nine digits.
  [/^\^?\[A-Z\](\\d|\[0-9\])\{9\}\$?$/, 'insurance-financial', 'KVNR'],
];

/** Substitutes server variables with their default and enum values (bounded), so `{scheme}://` with default `http` is caught. */
function expandServerVariables(url: string, variables: SpecNode | undefined): string[] {
  let results = [url];
  for (const [name, variable] of entriesOf(variables)) {
    const token = `{${name}}`;
    if (!url.includes(token) || !isPlainObject(variable.value)) continue;
    const values = new Set<string>();
    if (typeof variable.value['default'] === 'string' || typeof variable.value['default'] === 'number') values.add(String(variable.value['default']));
    if (Array.isArray(variable.value['enum'])) for (const value of variable.value['enum']) if (typeof value === 'string' || typeof value === 'number') values.add(String(value));
    if (values.size === 0) continue;
    results = results.flatMap((partial) => [...values].map((value) => partial.split(token).join(value))).slice(0, MAX_SERVER_EXPANSIONS);
  }
  return results;
}
