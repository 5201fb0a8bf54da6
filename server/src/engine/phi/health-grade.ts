import type { PhiField } from '../model/api-model';
import { nameTokens, type PhiMatch } from './phi-classifier';

/**
 * What separates PHI from mere personal data. An `email`, a `name` or a `city` is personal data in any web
 * shop; it is PHI when it sits next to health information or identifies the patient of a health service.
 */

/** Categories that are health data by themselves (plus identifiers that key a health record or a person). */
const HEALTH_CATEGORIES = new Set([
  'clinical', 'medication', 'lab-result', 'mental-health', 'substance-use', 'sexual-reproductive', 'genetic', 'wearable-vital', 'imaging',
  'health-record-id', 'government-id', 'biometric', 'insurance-financial', 'declared', 'fhir-search', 'dicom-query',
]);
/** Payment and banking terms of the insurance-financial category: personal data of any shop, not health data. */
const BANKING_TERMS = new Set(['accountNumber', 'bankAccountNumber', 'iban', 'creditCardNumber', 'cardNumber', 'cvv']);
/** Names that also name repositories, companies and products (`full_name: octocat/hello-world`). */
const AMBIGUOUS_NAMES = new Set(['fullName', 'legalName', 'preferredName', 'formerName', 'initials', 'nameSuffix', 'namePrefix', 'namenszusatz', 'vorsatzwort']);

/** Categories whose high-weight matches count without being strong terms: they are declared or health-specific. */
const HIGH_WEIGHT_CONTEXT_CATEGORIES = new Set(['declared', 'fhir-search', 'dicom-query']);

/** A health-grade match: strong (or explicitly declared) and in a health category, not a bank account. */
export function isHealthGrade(match: PhiMatch | undefined): boolean {
  if (!match || !HEALTH_CATEGORIES.has(match.category) || BANKING_TERMS.has(match.term)) return false;
  return match.strength === 'strong' || (match.weight === 'high' && HIGH_WEIGHT_CONTEXT_CATEGORIES.has(match.category));
}

/** A strong identifying name (`firstName`, `lastName`, `patientName`) but not `fullName`, which names repositories too. */
export function isPersonName(match: PhiMatch): boolean {
  return match.category === 'direct-identifier' && match.strength === 'strong' && !AMBIGUOUS_NAMES.has(match.term);
}

/** Flags such as `sleep: true` or `ssn_last_4_provided: true` describe capabilities or consents, not a person's data. */
export function isBooleanField(field: PhiField): boolean {
  const value = field.node.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const type = (value as Record<string, unknown>)['type'];
  return type === 'boolean' || (Array.isArray(type) && type.length > 0 && type.every((item) => item === 'boolean' || item === 'null'));
}

/** Words for the people a health API is about (not `users`, `customers` or `accounts` of any web shop). */
const CARE_RECIPIENT_TOKENS = new Set([
  'patient', 'patients', 'patienten', 'patientin', 'member', 'members', 'beneficiary', 'beneficiaries', 'insured', 'enrollee', 'enrollees',
  'subscriber', 'subscribers', 'participant', 'participants', 'subject', 'subjects', 'versicherter', 'versicherte', 'resident', 'residents',
  'relatedperson', 'caregiver', 'guardian',
]);

export function isCareRecipientPath(path: string): boolean {
  return path.split('/').some((segment) => nameTokens(segment).some((token) => CARE_RECIPIENT_TOKENS.has(token)));
}

/** Words that name a health service's patient and nobody else (unlike `members` or `subscribers` of any service). */
const PATIENT_TOKENS = new Set(['patient', 'patients', 'patienten', 'patientin', 'beneficiary', 'beneficiaries', 'versicherter', 'versicherte', 'insured', 'relatedperson']);

export function isPatientPath(path: string): boolean {
  return path.split('/').some((segment) => nameTokens(segment).some((token) => PATIENT_TOKENS.has(token)));
}

/** `/patients/{patientId}/readings`: the path itself addresses one patient's records. */
export function addressesOnePatient(path: string): boolean {
  const segments = path.split('/').filter(Boolean);
  return segments.some((segment, index) => nameTokens(segment).some((token) => PATIENT_TOKENS.has(token)) && /^\{[^}]+\}$/.test(segments[index + 1] ?? ''));
}

/** Identifying demographics (Safe Harbor A-F): PHI when they describe a health service's patient. */
const IDENTIFIER_CATEGORIES = new Set(['direct-identifier', 'dates', 'contact', 'location', 'demographic-sensitive', 'relatives-household']);

function isPersonIdentifier(match: PhiMatch): boolean {
  return match.strength === 'strong' && IDENTIFIER_CATEGORIES.has(match.category) && !AMBIGUOUS_NAMES.has(match.term);
}

/** Where an operation is: a path about the people of a health service (`/members`), or about its patients (`/patients`). */
export interface PathContext {
  readonly carePath: boolean;
  readonly patientPath: boolean;
}

/** For memoised schema searches that do not know the operation yet: rank as if on a patient path. */
export const ANY_PATH: PathContext = { carePath: true, patientPath: true };

/**
 * Ranks a field as PHI evidence: 0 health-grade; 1 a person's name on a care-recipient path, or identifying
 * demographics (birth date, address, phone) on a patient path (both PHI); 2+ personal data only, by weight.
 */
export function evidenceRank(field: PhiField, where: PathContext): number {
  if (isHealthGrade(field.match) && !isBooleanField(field)) return 0;
  if ((where.carePath && isPersonName(field.match)) || (where.patientPath && isPersonIdentifier(field.match))) return 1;
  return field.match.weight === 'high' ? 2 : field.match.weight === 'medium' ? 3 : 4;
}

/**
 * Catalogues and directories of things that are not patients: drugs and formularies, code systems, clinicians,
 * facilities. A `drugName`, a `diagnosisCode` or a provider's `lastName` there is reference data, not PHI (FHIR
 * says the same with its resource types: Medication, CodeSystem and Practitioner are not patient data).
 */
const REFERENCE_DATA_TOKENS = new Set([
  'formulary', 'formularies', 'drug', 'drugs', 'ndc', 'rxnorm', 'terminology', 'terminologies', 'code', 'codes', 'codesystem',
  'codesystems', 'valueset', 'valuesets', 'icd', 'icd10', 'icd11', 'snomed', 'loinc', 'catalog', 'catalogs', 'catalogue',
  'catalogues', 'directory', 'provider', 'providers', 'practitioner', 'practitioners', 'physician', 'physicians', 'doctor',
  'doctors', 'clinician', 'clinicians', 'pharmacy', 'pharmacies', 'facility', 'facilities', 'location', 'locations',
  'organization', 'organizations', 'organisation', 'organisations', 'hospital', 'hospitals', 'specialty', 'specialties',
]);
/** Segments that say nothing about whose data it is: prefixes and verbs of a search. */
const NEUTRAL_TOKENS = new Set(['api', 'public', 'open', 'search', 'lookup', 'find', 'query', 'list', 'label', 'labels', 'details', 'info']);

/**
 * A path made only of catalogue segments (and neutral ones, versions and parameters): `/formulary/drugs`,
 * `/drugs/{ndc}/label`, `/v1/providers/search`. One other segment (`/providers/{id}/appointments`) and it is not.
 */
export function isReferenceDataPath(path: string): boolean {
  let catalogue = false;
  for (const segment of path.split('/')) {
    if (segment === '' || /^\{[^}]*\}$/.test(segment) || /^v\d+(\.\d+)*$/i.test(segment)) continue;
    for (const token of nameTokens(segment)) {
      if (REFERENCE_DATA_TOKENS.has(token)) catalogue = true;
      else if (!NEUTRAL_TOKENS.has(token)) return false;
    }
  }
  return catalogue;
}

/** Categories that stay a patient's on a reference-data path: declared, and identifiers only a patient has. */
const PATIENT_ONLY_CATEGORIES = new Set(['declared', 'government-id', 'health-record-id', 'biometric', 'genetic', 'fhir-search', 'dicom-query']);

/** Whether a match counts as PHI on a path of the given kind (see `isReferenceDataPath`). */
export function countsOnPath(match: PhiMatch, referenceData: boolean): boolean {
  return !referenceData || PATIENT_ONLY_CATEGORIES.has(match.category);
}
