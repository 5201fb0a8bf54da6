import type { ApiModel, Operation, Parameter } from '../../server/src/engine/model/api-model';
import { ID_TOKENS, isPersonScoped, nameTokens, singlesOutPerson, type PhiMatch } from '../../server/src/engine/phi/phi-classifier';
import { defineRule, type FixSpec } from '../../server/src/engine/rule';
import { childOf, isPlainObject, nodeKey } from '../../server/src/engine/spec-node';

/** FHIR search parameters that are references or opaque ids: `?patient=123` names a record, not a person's attributes. */
const FHIR_REFERENCE_PARAMS = new Set(['patient', 'subject', '_id', 'encounter', 'performer', 'requester']);
/** FHIR search parameters that are identifying or clinical on their own (names, birth date, identifiers, codes, free text). */
const FHIR_HIGH_PARAMS = new Set(['name', 'family', 'given', 'phonetic', 'birthdate', 'death-date', 'identifier', 'phone', 'email', 'telecom', 'address', 'code', '_content', '_text', '_filter']);
/** DICOM QIDO keys that name or identify the patient directly (name, id, birth date, accession number). */
const DICOM_HIGH_KEYS = new Set(['patientname', 'patientid', 'patientbirthdate', 'accessionnumber', '00100010', '00100020', '00100030', '00080050']);

const HIGH_CATEGORIES_DESCRIPTION = 'names, government and record numbers, clinical, genetic and other high-weight PHI';

interface UrlLeak {
  readonly parameter: Parameter;
  readonly severity: 'error' | 'warning';
  readonly what: string;
}

/**
 * An opaque identifier: a key to a record, not a leak by itself. Context terms used as ids (`patientId`, `encounterId`,
 * `memberId`) and ids of a PHI thing (`immunization_id`, `insuranceUuid`); not government numbers, MRNs or
 * strong identifiers such as `medicaidId`.
 */
function isOpaqueIdentifier(name: string, match: PhiMatch): boolean {
  if (match.category === 'government-id' || match.category === 'biometric') return false;
  const tokens = nameTokens(name);
  const last = tokens[tokens.length - 1] ?? '';
  // A DICOM UID addresses a study, series or instance, as DICOMweb and WADO-URI require in the URL: a record key.
  if (match.category === 'imaging' && (last === 'uid' || last === 'uids')) return true;
  if (match.strength === 'context' && /id$/i.test(match.term)) return true;
  // A claim is a transaction, not a person's coverage: its id keys a record, as FHIR's `Claim/{id}` does. Ids of the
  // coverage itself (`medicaidId`, `insuranceId`, on the member's card) identify the person and stay reported.
  if (match.category === 'insurance-financial' && ID_TOKENS.has(last) && nameTokens(match.term)[0] === 'claim') return true;
  if (!ID_TOKENS.has(last)) return false;
  // The id suffix lies outside the matched term: `immunization_id`, not `fallId` or `medicaidId`.
  const term = nameTokens(match.term);
  return term[term.length - 1] !== last && (match.strength === 'context' || match.category !== 'health-record-id');
}

/**
 * Medium- and low-weight terms (e-mail, city, gender, IP) are a patient's on person-scoped paths, not on `/facility`,
 * and next to a strong identifying term in the same URL: `?lastName=&dateOfBirth=` together single out a person.
 */
function isAboutPerson(operation: Operation): boolean {
  if (operation.health.carriesPhi || isPersonScoped(operation.path.split('/').filter(Boolean))) return true;
  // A FHIR resource type decides for itself (`/Practitioner?family=&email=` is a clinician's).
  return operation.health.fhirType === undefined && singlesOutPerson(operation.parameters);
}

/**
 * FHIR chains through a patient reference ending in one of the patient's identifying search parameters:
 * `patient.identifier`, `subject:Patient.identifier`, `patient:identifier`, `patient.birthdate`, `subject:Patient.family`.
 * Returns that last parameter.
 */
const PATIENT_CHAIN_SEGMENT = /^(patient|subject|beneficiary|person|relatedperson)$/i;
function patientChainTarget(name: string): string | undefined {
  const segments = name.split(/[.:]/);
  const last = segments[segments.length - 1] ?? '';
  if (segments.length < 2 || !FHIR_HIGH_PARAMS.has(last) || last.startsWith('_') || last === 'code') return undefined;
  return segments.slice(0, -1).some((segment) => PATIENT_CHAIN_SEGMENT.test(segment)) ? last : undefined;
}

function assess(operation: Operation, parameter: Parameter): UrlLeak | undefined {
  if (parameter.in !== 'query' && parameter.in !== 'path') return undefined;
  const chained = parameter.in === 'query' ? patientChainTarget(parameter.name) : undefined;
  if (chained === 'identifier') {
    return { parameter, severity: 'error', what: "a patient's business identifier (MRN, NHS number, insurance number) in a FHIR chained search" };
  }
  if (chained) return { parameter, severity: 'error', what: `the patient's '${chained}' in a FHIR chained search` };
  const match = parameter.phi;
  if (!match) return undefined;
  if (match.category === 'fhir-search') {
    const base = parameter.name.replace(/:.*$/, '');
    if (FHIR_REFERENCE_PARAMS.has(base)) return undefined;
    const high = FHIR_HIGH_PARAMS.has(base);
    return { parameter, severity: high ? 'error' : 'warning', what: `FHIR search parameter on the ${operation.health.fhirType ?? 'PHI'} resource` };
  }
  if (match.category === 'dicom-query') {
    const high = DICOM_HIGH_KEYS.has(parameter.name.toLowerCase());
    return { parameter, severity: high ? 'error' : 'warning', what: 'DICOM QIDO query key' };
  }
  if (match.category === 'declared') return { parameter, severity: 'error', what: 'marked x-phi' };
  if (isOpaqueIdentifier(parameter.name, match)) return undefined;
  if (match.weight !== 'high' && !isAboutPerson(operation)) return undefined;
  const severity = match.weight === 'high' && match.strength === 'strong' ? 'error' : 'warning';
  return { parameter, severity, what: `${match.category}, matches '${match.term}'` };
}

/** FHIR's search-by-POST path for a search path: `/fhir/r4/Patient` → `/fhir/r4/Patient/_search`. */
function searchPathOf(path: string): string {
  return `${path.replace(/\/+$/, '')}/_search`;
}

function searchPathExists(model: ApiModel, path: string): boolean {
  const paths = childOf(model.root, 'paths')?.value;
  return isPlainObject(paths) && searchPathOf(path) in paths;
}

/**
 * "Move the criteria into a body": adds `POST <path>/_search` taking the GET operation's query parameters as a
 * form-encoded body (the FHIR pattern, and AWS HealthLake's advice for PHI searches), with the same security and
 * responses. The GET stays for compatibility; retiring it is the author's call. OpenAPI 3 only, and only when the
 * operation is written in the root file (copied `$ref`s stay valid) and `_search` does not exist yet.
 */
function searchByPostFix(model: ApiModel, operation: Operation): FixSpec | undefined {
  // DICOMweb (QIDO-RS, WADO-URI) defines no search by POST: a `_search` there would be an endpoint no PACS serves.
  if (model.version === '2.0' || operation.method !== 'get' || operation.health.dicomweb || operation.node.doc !== model.root.doc) return undefined;
  const paths = childOf(model.root, 'paths');
  const searchPath = searchPathOf(operation.path);
  if (!paths || !isPlainObject(paths.value) || searchPathExists(model, operation.path)) return undefined;
  const query = operation.parameters.filter((parameter) => parameter.in === 'query');
  const properties: Record<string, unknown> = {};
  for (const parameter of query) {
    const schema = parameter.schema?.value;
    properties[parameter.name] = isPlainObject(schema) ? schema : { type: 'string' };
  }
  const get = operation.node.value as Record<string, unknown>;
  const post: Record<string, unknown> = {
    summary: `Search with the criteria in the body instead of the URL (replaces GET ${operation.path} for PHI)`,
    ...(typeof get['operationId'] === 'string' ? { operationId: `${get['operationId']}ByPost` } : {}),
    ...(get['security'] !== undefined ? { security: get['security'] } : {}),
    requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties } } } },
    responses: get['responses'] ?? { '200': { description: 'Search results' } },
  };
  return {
    title: `Add POST ${searchPath} taking the search criteria in the body`,
    safety: 'unsafe',
    edits: [{ addMember: { object: paths, key: searchPath, value: { post } } }],
  };
}

/** Path and query parameters that carry PHI: the URL ends up in access logs, proxies, browser history and Referer headers. */
export default defineRule({
  meta: {
    id: 'phi-in-url',
    category: 'phi-exposure',
    defaultSeverity: 'warning',
    description: `PHI in a path or query parameter; an error for ${HIGH_CATEGORIES_DESCRIPTION}.`,
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    references: { cwe: [598, 200], owaspApi: ['API3:2023'], hipaa: ['164.312(e)(1)', '164.502(b)'], gdpr: ['Art. 5(1)(c)', 'Art. 32'] },
  },
  check({ model, report }) {
    // A parameter declared once (components/parameters, path level) is reported once, naming every operation using it.
    const byNode = new Map<string, { leak: UrlLeak; operations: Operation[] }>();
    for (const operation of model.operations) {
      for (const parameter of operation.parameters) {
        const leak = assess(operation, parameter);
        if (!leak) continue;
        const key = nodeKey(parameter.node);
        const seen = byNode.get(key);
        if (seen) {
          seen.operations.push(operation);
          if (leak.severity === 'error') seen.leak = leak;
        } else byNode.set(key, { leak, operations: [operation] });
      }
    }
    for (const { leak, operations } of byNode.values()) {
      const { parameter } = leak;
      const first = operations[0]!;
      const label = `${first.method.toUpperCase()} ${first.path}`;
      const more = operations.length > 1 ? ` (and ${operations.length - 1} more operation${operations.length > 2 ? 's' : ''})` : '';
      const fhirType = operations.find((operation) => operation.health.fhirType)?.health.fhirType;
      const searchPath = searchPathOf(first.path);
      const advice = parameter.in === 'query' && searchPathExists(model, first.path)
        ? ` POST ${searchPath} exists: have clients use it for searches with PHI, and drop '${parameter.name}' from the GET (or mark the GET deprecated).`
        : parameter.in === 'query' && fhirType
          ? ` Offer and document POST ${searchPath} with a form-encoded body instead, so search criteria travel in the body.`
          : parameter.in === 'query'
            ? ' Move it into a POST request body (a search resource) or a header.'
            : ' Use an opaque, random identifier in the path and keep the real identifier in the body or a header.';
      const fix = parameter.in === 'query' ? searchByPostFix(model, first) : undefined;
      report({
        node: childOf(parameter.node, 'name') ?? parameter.node,
        part: 'value',
        severity: leak.severity,
        ...(fix ? { fixes: [fix] } : {}),
        message: `${label}${more} puts PHI in the URL: ${parameter.in} parameter '${parameter.name}' (${leak.what}). URLs are written to access logs, proxy and CDN logs, browser history and Referer headers.${advice}`,
      });
    }
  },
});
