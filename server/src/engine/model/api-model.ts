import type { PhiMatch } from '../phi/phi-classifier';
import type { SpecNode } from '../spec-node';
import type { SpecSet } from '../spec-set';

export type OpenApiVersion = '2.0' | '3.0' | '3.1';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A server URL as declared, with every concrete URL its variables can produce. */
export interface ServerUrl {
  /** The node holding the URL text (OpenAPI 3 `url`, or a Swagger `schemes` entry). */
  readonly node: SpecNode;
  readonly url: string;
  readonly expandedUrls: readonly string[];
  readonly level: 'root' | 'path' | 'operation';
}

export type OAuthFlowKind = 'implicit' | 'password' | 'clientCredentials' | 'authorizationCode';

export interface OAuthFlow {
  readonly kind: OAuthFlowKind;
  /** The flow object (OpenAPI 3) or the `flow` value (Swagger 2). */
  readonly node: SpecNode;
  readonly urls: readonly SpecNode[];
  readonly scopes: readonly ScopeDeclaration[];
}

export interface ScopeDeclaration {
  readonly scope: string;
  /** The key of the scope in its `scopes` map. */
  readonly node: SpecNode;
}

export interface SecurityScheme {
  readonly name: string;
  /** The scheme object, dereferenced; its written location is `declaration`. */
  readonly node: SpecNode;
  /** The key under `components.securitySchemes` / `securityDefinitions`. */
  readonly declaration: SpecNode;
  /** OpenAPI 3 types, with Swagger's `basic` mapped to `http` + `basic`. */
  readonly type: 'apiKey' | 'http' | 'oauth2' | 'openIdConnect' | 'mutualTLS' | 'unknown';
  readonly httpScheme?: string;
  readonly apiKeyIn?: string;
  readonly flows: readonly OAuthFlow[];
  readonly openIdConnectUrl?: SpecNode;
}

export interface RequiredScope {
  readonly scope: string;
  readonly node: SpecNode;
}

export interface SchemeRequirement {
  readonly schemeName: string;
  /** The key naming the scheme inside the requirement object. */
  readonly node: SpecNode;
  readonly scopes: readonly RequiredScope[];
}

/** One entry of a `security` array: all its schemes together; an empty one (`{}`) means anonymous access is allowed. */
export interface SecurityAlternative {
  readonly node: SpecNode;
  readonly schemes: readonly SchemeRequirement[];
}

/** The security that applies to an operation after the operation-overrides-root rule. */
export interface EffectiveSecurity {
  /** `operation`: its own `security`; `root`: inherited; `none`: neither declares any. */
  readonly source: 'operation' | 'root' | 'none';
  /** The `security` array in force, when there is one. */
  readonly node?: SpecNode;
  readonly alternatives: readonly SecurityAlternative[];
  /** True when no alternative is needed or some alternative is `{}` (or `security: []`). */
  readonly allowsAnonymous: boolean;
}

/** A schema property or parameter judged to hold PHI. */
export interface PhiField {
  readonly name: string;
  /** Where the field is written (the property key, or the parameter). */
  readonly node: SpecNode;
  readonly match: PhiMatch;
}

export interface Parameter {
  readonly name: string;
  readonly in: string;
  /** The parameter object after `$ref`. */
  readonly node: SpecNode;
  readonly schema?: SpecNode;
  readonly phi?: PhiMatch;
}

export interface ResponseInfo {
  readonly status: string;
  /** The response object after `$ref`. */
  readonly node: SpecNode;
  /** The key (`'200'`) under `responses`. */
  readonly key: SpecNode;
  readonly headerNames: readonly string[];
  readonly schemas: readonly SpecNode[];
}

/** How a path looks to a health reviewer: a FHIR interaction, a DICOMweb service, or neither. */
export interface HealthPathInfo {
  readonly fhirType?: string;
  readonly fhirOperation?: string;
  readonly dicomweb?: boolean;
  /** DICOM found by the media types the operation exchanges, not by its path. */
  readonly dicomMedia?: boolean;
  /** True when the path by itself names patient data (FHIR PHI resource or operation, DICOMweb). */
  readonly carriesPhi: boolean;
  readonly description?: string;
}

export interface Operation {
  readonly method: HttpMethod;
  readonly path: string;
  /** The operation object; findings about the operation point at its method key. */
  readonly node: SpecNode;
  readonly pathItem: SpecNode;
  readonly operationId?: string;
  readonly security: EffectiveSecurity;
  readonly parameters: readonly Parameter[];
  readonly requestSchemas: readonly SpecNode[];
  readonly responses: readonly ResponseInfo[];
  readonly health: HealthPathInfo;
  /** Declared by the operation itself (`x-phi: true` / `x-data-classification`). */
  readonly declaredPhi?: 'phi' | 'public';
  /** Lazily computed PHI evidence, so rules that do not ask never walk the schemas. */
  phiEvidence(): OperationPhi;
  /** `/health`, `/.well-known/*`, FHIR `/metadata`, OAuth endpoints, or configured public paths. */
  readonly isPublicByDesign: boolean;
  /**
   * Header, query or cookie parameters that carry credentials (`Authorization`, `X-API-Key`, `App-Key`...):
   * older and hand-written specs describe authentication this way instead of with a security scheme.
   */
  readonly credentialParameters: readonly Parameter[];
}

/**
 * PHI evidence of an operation. PHI means health information or identifiers of a health service's patients:
 * a FHIR/DICOMweb PHI path, `x-phi`, a health-grade field or parameter (diagnosis, heart rate, MRN, SSN...),
 * or a person's name on a patient/member path. An e-mail or a name alone is personal data (`personalData`).
 */
export interface OperationPhi {
  readonly carriesPhi: boolean;
  /** A short human reason, e.g. "path names the FHIR Patient resource" or "response field 'birthDate'". */
  readonly reason?: string;
  /** When the operation handles personal data that is not PHI by itself, e.g. "response field 'email'". */
  readonly personalData?: string;
  readonly parameters: readonly Parameter[];
  readonly responseFields: readonly PhiField[];
  readonly requestFields: readonly PhiField[];
}

/** The API as the rules see it: every OpenAPI version mapped to one shape. */
export interface ApiModel {
  readonly version: OpenApiVersion;
  readonly specs: SpecSet;
  readonly root: SpecNode;
  readonly servers: readonly ServerUrl[];
  readonly securitySchemes: ReadonlyMap<string, SecurityScheme>;
  readonly rootSecurity?: SpecNode;
  readonly operations: readonly Operation[];
  /** PHI fields of a schema, walked through `$ref`, allOf/oneOf/anyOf, items and additionalProperties. */
  phiFieldsOfSchema(schema: SpecNode, contextNames: readonly string[]): readonly PhiField[];
}
