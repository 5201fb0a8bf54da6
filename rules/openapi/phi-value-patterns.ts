import type { Operation, Parameter, PhiField } from '../../server/src/engine/model/api-model';
import { addressesOnePatient, evidenceRank, isBooleanField, isCareRecipientPath, isHealthGrade, isPatientPath } from '../../server/src/engine/phi/health-grade';

export { isBooleanField, isHealthGrade } from '../../server/src/engine/phi/health-grade';

/**
 * Value shapes of real identifiers, for `phi-in-example`. Each check answers with a short description
 * ("an SSN-shaped value") and never with the value itself, so messages cannot leak what they find.
 */

/** US SSN with SSA's structural rules: no area 000/666/9xx, no group 00, no serial 0000. */
const SSN_DASHED = /^(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$/;
const SSN_PLAIN = /^(?!000|666|9\d\d)\d{3}(?!00)\d{2}(?!0000)\d{4}$/;
/**
 * Published placeholders that are not anyone's number: the SSA voided 078-05-1120 and 219-09-9999 after they were
 * printed in wallet advertisements; 123-45-6789 is the textbook example.
 */
const SSN_PLACEHOLDERS = new Set(['123-45-6789', '123456789', '078-05-1120', '078051120', '219-09-9999', '219099999']);

/** German KVNR, unchangeable 10-character part (Versicherten-ID): capital letter, 8 digits, check digit. */
const KVNR = /^[A-Z][0-9]{9}$/;
/** The example of the KVNR in public documentation; not a real insured person. */
const KVNR_PLACEHOLDERS = new Set(['A123456780']);

/** Medicare Beneficiary Identifier (11 characters, S L O I B Z never used), optionally printed with dashes. */
const MBI_LETTER = '[AC-HJKMNP-RT-Y]';
const MBI_ALNUM = '[AC-HJKMNP-RT-Y0-9]';
const MBI = new RegExp(`^[1-9]${MBI_LETTER}${MBI_ALNUM}[0-9]-?${MBI_LETTER}${MBI_ALNUM}[0-9]-?${MBI_LETTER}{2}[0-9]{2}$`);
/** CMS's own specimen MBI from its format guide. */
const MBI_PLACEHOLDERS = new Set(['1EG4TE5MK73']);

const EMAIL = /^([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+)@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})$/;
/** Role mailboxes (RFC 2142 and common practice) belong to an organisation, not to a person. */
const ROLE_MAILBOX = /^(info|support|help|helpdesk|contact|sales|billing|accounts|admin|administrator|webmaster|postmaster|hostmaster|abuse|security|privacy|dpo|legal|noreply|no-reply|donotreply|do-not-reply|notifications?|alerts?|team|hello|hi|hey|office|service|api|dev|developers?|git|root|mailer-daemon|feedback|press|marketing|jobs|careers)([+.-].*)?$/i;
/** Local parts everybody reads as placeholders. */
const PLACEHOLDER_MAILBOX = /^((john|jane)[._-]?(doe|smith)\d*|user\d*|username|you|me|someone|somebody|name|email|test\w*|foo|bar|foobar|sample|example|xx+|abc|demo\w*)$/i;
/** Domains everybody reads as placeholders, though registrable. */
const PLACEHOLDER_DOMAIN = /(^|\.)(foo|bar|foobar|nowhere|somewhere|email|domain|yourdomain|yourcompany|mycompany|company|acme|sample|test|website|xyz|mail-example|host)\.(com|org|net|io)$|(^|\.)(gserviceaccount\.com|amazonaws\.com)$/i;
/** RFC 2606 / RFC 6761 reserved names: example.com/.net/.org and the .example, .test, .invalid, .localhost TLDs. */
const RESERVED_EMAIL_DOMAIN = /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost)$/i;

/** E.164: `+`, country code, up to 15 digits; spaces, dots, dashes and brackets are tolerated between digit groups. */
const PHONE_WRITTEN = /^\+[0-9][0-9 ().-]{5,22}$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;

/** The longest identifier shape above: an MBI printed with dashes (SSN 11, KVNR 10). */
const MAX_IDENTIFIER_LENGTH = 13;

const ISO_DATE = /^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T[0-9:.]+(Z|[+-][0-9:]+)?)?$/;

export type ValueKind = 'ssn' | 'kvnr' | 'mbi' | 'email' | 'phone' | 'birth-date';

export interface ValueMatch {
  readonly kind: ValueKind;
  /** Safe to show: describes the shape, never quotes the value. */
  readonly description: string;
}

/** Check digit of a KVNR (§ 290 SGB V): letter as 01-26, then 8 digits; weights 1,2,1,2...; cross sums of products; mod 10. */
export function isValidKvnr(value: string): boolean {
  if (!KVNR.test(value)) return false;
  const position = value.charCodeAt(0) - 64;
  const digits = [Math.floor(position / 10), position % 10, ...value.slice(1, 9).split('').map(Number)];
  let sum = 0;
  digits.forEach((digit, index) => {
    const product = digit * (index % 2 === 0 ? 1 : 2);
    sum += product > 9 ? product - 9 : product;
  });
  return sum % 10 === Number(value[9]);
}

export function isSsnShaped(value: string, fieldIsSsn: boolean): boolean {
  if (SSN_PLACEHOLDERS.has(value)) return false;
  return SSN_DASHED.test(value) || (fieldIsSsn && SSN_PLAIN.test(value));
}

export function isMbiShaped(value: string): boolean {
  return MBI.test(value) && !MBI_PLACEHOLDERS.has(value.replace(/-/g, ''));
}

/**
 * A personal-looking e-mail address: not in a reserved documentation domain, not a role mailbox, not an
 * obvious placeholder, and not at the API provider's own domain (staff and mascots, e.g. `octocat@` at the vendor).
 */
export function isRealEmail(value: string, ownDomains: ReadonlySet<string> = new Set()): boolean {
  const match = EMAIL.exec(value);
  if (!match) return false;
  const local = match[1]!;
  const domain = match[2]!.toLowerCase();
  if (RESERVED_EMAIL_DOMAIN.test(domain) || PLACEHOLDER_DOMAIN.test(domain) || ROLE_MAILBOX.test(local) || PLACEHOLDER_MAILBOX.test(local)) return false;
  for (const own of ownDomains) if (domain === own || domain.endsWith('.' + own)) return false;
  return true;
}

/** Fictional ranges: NANP 555-0100..0199 (any area code), UK Ofcom drama numbers (07700 900xxx, 020 7946 0xxx). */
function isFictionalPhone(digits: string): boolean {
  if (/^1[2-9][0-9]{2}55501[0-9]{2}$/.test(digits)) return true;
  if (/^447700900[0-9]{3}$/.test(digits) || /^4420794600[0-9]{2}$/.test(digits) || /^442079460[0-9]{3}$/.test(digits)) return true;
  // Runs like +1 234 567 8900 or long runs of one digit are placeholders.
  return /(\d)\1{6,}/.test(digits) || digits.includes('123456789') || digits.includes('0123456');
}

export function isRealPhone(value: string): boolean {
  if (!PHONE_WRITTEN.test(value)) return false;
  const compact = value.replace(/[ ().-]/g, '');
  if (!E164.test(compact)) return false;
  return !isFictionalPhone(compact.slice(1));
}

export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value);
}

/**
 * Classifies one example value. `field` tells what the surrounding name says: `ssn` for an SSN-named field
 * (then nine plain digits count too), `birth` for a birth/death date field (then an ISO date counts).
 */
export function classifyExampleValue(value: string, field: { ssn: boolean; birth: boolean }, ownDomains: ReadonlySet<string> = new Set()): ValueMatch | undefined {
  const trimmed = value.trim();
  if (trimmed.length < 6 || trimmed.length > 254) return undefined;
  // Most example strings are longer than any identifier shape (13 characters, an MBI with dashes) and are no
  // e-mail, phone or birth date: URLs, names, sentences.
  if (trimmed.length > MAX_IDENTIFIER_LENGTH && !field.birth && !trimmed.includes('@') && !trimmed.startsWith('+')) return undefined;
  if (isSsnShaped(trimmed, field.ssn)) return { kind: 'ssn', description: 'an SSN-shaped value (valid area, group and serial)' };
  if (isValidKvnr(trimmed) && !KVNR_PLACEHOLDERS.has(trimmed)) return { kind: 'kvnr', description: 'a German KVNR-shaped value with a valid check digit' };
  if (isMbiShaped(trimmed)) return { kind: 'mbi', description: 'a Medicare Beneficiary Identifier (MBI)-shaped value' };
  if (trimmed.includes('@')) return isRealEmail(trimmed, ownDomains) ? { kind: 'email', description: 'an e-mail address outside the reserved example domains' } : undefined;
  if (trimmed.startsWith('+')) return isRealPhone(trimmed) ? { kind: 'phone', description: 'an E.164 phone number outside the fictional ranges' } : undefined;
  // Date-times with fractional seconds are generator timestamps (`2025-10-15T13:51:10.887Z`), not a recorded birth.
  if (field.birth && isIsoDate(trimmed) && !/T[0-9:]+\.[0-9]/.test(trimmed)) return { kind: 'birth-date', description: 'a full date of birth or death' };
  return undefined;
}

// --- How convincing an operation's PHI evidence is (shared by phi-response-unauthenticated and rate-limit-missing) ---

/**
 * Whether an operation's PHI evidence is about health, not merely personal data: a FHIR/DICOMweb PHI path, `x-phi`,
 * a health-grade term in a parameter or request/response field, or a person's name on a person-scoped path
 * (`/patients`, `/members`). An `email`, a `name` or a `city` alone is not enough.
 */
export function isConvincingPhi(operation: Operation, fields: readonly PhiField[], parameters: readonly Parameter[] = []): boolean {
  return convincingPhiReason(operation, fields, parameters) !== undefined;
}

/** The evidence that makes the operation's PHI convincing, as a short phrase for messages, or undefined. */
export function convincingPhiReason(operation: Operation, fields: readonly PhiField[], parameters: readonly Parameter[] = []): string | undefined {
  // The model calls any `/instances` path DICOMweb (GitHub's `/alerts/{n}/instances` too): require a DICOM word as well.
  const health = operation.health;
  const dicomOnly = health.dicomweb && !health.dicomMedia && !health.fhirType && !/(^|\/)(studies|series|dicom[-_]?web|dicom|wado|rs)(\/|$)/i.test(operation.path);
  if (operation.declaredPhi === 'phi') return 'operation is marked as PHI';
  if (health.carriesPhi && !dicomOnly) return health.description ?? 'health path';
  const parameter = parameters.find((candidate) => isHealthGrade(candidate.phi));
  if (parameter) return `parameter '${parameter.name}'`;
  const field = fields.find((candidate) => isHealthGrade(candidate.match) && !isBooleanField(candidate));
  if (field) return `field '${field.name}'`;
  const where = { carePath: isCareRecipientPath(operation.path), patientPath: isPatientPath(operation.path) };
  const identifier = fields.find((candidate) => evidenceRank(candidate, where) === 1);
  if (identifier) return `field '${identifier.name}' on a patient path`;
  return addressesOnePatient(operation.path) && fields.length > 0 ? `a patient's record ('${fields[0]!.name}')` : undefined;
}

