import vocabulary from '../../../data/phi-vocabulary.json';

export type PhiWeight = 'high' | 'medium' | 'low';

/** Why a name was judged PHI: the vocabulary category and the term that matched. */
export interface PhiMatch {
  readonly category: string;
  readonly weight: PhiWeight;
  readonly term: string;
  /** `strong` terms are PHI on their own; `context` terms only inside a person-scoped schema or path. */
  readonly strength: 'strong' | 'context';
}

interface VocabularyCategory {
  readonly id: string;
  readonly weight: string;
  readonly terms: readonly string[];
  readonly contextTerms?: readonly string[];
}

const GERMAN_FOLDS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue' };

/** Splits a field name into lower-case tokens: camelCase, snake_case, kebab-case, dotted, German umlauts folded; letters stay joined to digits. */
export function nameTokens(name: string): readonly string[] {
  let tokens = tokenCache.get(name);
  if (!tokens) {
    tokens = splitNameTokens(name);
    if (tokenCache.size < 100_000) tokenCache.set(name, tokens);
  }
  return tokens;
}

/** Names recur across a spec (path segments, property names): split each once. */
const tokenCache = new Map<string, string[]>();

/** Lower-case names without umlauts or capitals (`id`, `created_at`, `x-rate-limit`): the case splits change nothing. */
const LOWER_CASE_NAME = /^[a-z0-9_.-]*$/;

function splitNameTokens(name: string): string[] {
  if (LOWER_CASE_NAME.test(name)) return name.split(/[^a-z0-9]+/).filter((token) => token.length > 0);
  const folded = name.replace(/[äöüßÄÖÜ]/g, (char) => GERMAN_FOLDS[char] ?? char);
  return folded
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((token) => token.length > 0)
    .map((token) => token.toLowerCase());
}

function joinedTerm(term: string): string {
  return nameTokens(term).join('');
}

interface TermEntry {
  readonly match: Omit<PhiMatch, 'term'>;
  readonly term: string;
}

/** Words that make a schema or path person-scoped, so context terms like `city` or `gender` count as PHI there. */
const PERSON_SCOPE_TOKENS = new Set([
  'patient', 'patients', 'person', 'persons', 'people', 'member', 'members', 'user', 'users', 'subject', 'subjects',
  'participant', 'participants', 'beneficiary', 'beneficiaries', 'versicherter', 'versicherte', 'patienten', 'patientin',
  'client', 'clients', 'customer', 'customers', 'individual', 'resident', 'insured', 'enrollee', 'subscriber',
  'relatedperson', 'contact', 'guardian', 'caregiver', 'profile', 'demographics', 'me', 'account',
]);

/** Vocabulary terms by their joined tokens, and the lengths those have. */
class TermTable {
  readonly entries = new Map<string, TermEntry>();
  readonly lengths = new Set<number>();

  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, entry: TermEntry): void {
    this.entries.set(key, entry);
    this.lengths.add(key.length);
  }
}

class PhiVocabulary {
  readonly strong = new TermTable();
  readonly context = new TermTable();
  readonly traps = new Set<string>();
  readonly fhirPhiTypes = new Set<string>();
  readonly fhirNotPhi = new Set<string>();
  readonly fhirSearchParamsCarryingPhi = new Set<string>();
  readonly dicomPhiQueryKeys = new Set<string>();
  /** DICOM keywords by tag as DICOM JSON writes it (`00100010` → `PatientName`). */
  readonly dicomKeywordsByTag = new Map<string, string>();

  constructor() {
    for (const category of vocabulary.categories as readonly VocabularyCategory[]) {
      const weight = (['high', 'medium', 'low'].includes(category.weight) ? category.weight : 'medium') as PhiWeight;
      for (const term of category.terms) {
        const key = joinedTerm(term);
        if (!this.strong.has(key)) this.strong.set(key, { term, match: { category: category.id, weight, strength: 'strong' } });
      }
      for (const term of category.contextTerms ?? []) {
        const key = joinedTerm(term);
        if (!this.context.has(key)) this.context.set(key, { term, match: { category: category.id, weight, strength: 'context' } });
      }
    }
    for (const trap of vocabulary.falsePositiveTraps) this.traps.add(joinedTerm(trap.name.split(' ')[0]!));
    const fhir = vocabulary.fhirResources;
    for (const type of fhir.patientCompartmentR4) this.fhirPhiTypes.add(type);
    for (const tier of Object.values(fhir.tiers)) for (const type of tier) this.fhirPhiTypes.add(type);
    for (const type of fhir.notPhi) this.fhirNotPhi.add(type);
    for (const param of fhir.searchParamsCarryingPhi) this.fhirSearchParamsCarryingPhi.add(param);
    for (const key of vocabulary.dicomweb.phiQueryKeys) this.dicomPhiQueryKeys.add(key.toLowerCase());
    for (const { tag, keyword } of vocabulary.dicomTags) this.dicomKeywordsByTag.set(tag.replace(/[^0-9A-Fa-f]/g, '').toUpperCase(), keyword);
  }
}

let loaded: PhiVocabulary | undefined;
/** The vocabulary, built once per process from `phi-vocabulary.json`. */
export function phiVocabulary(): PhiVocabulary {
  return (loaded ??= new PhiVocabulary());
}

/**
 * Looks a term up as a run of adjacent tokens (`patientBirthDate` contains `birthDate`), or, for terms of
 * six or more letters, as the end of one compound token (`Krankenversichertennummer` ends in `versichertennummer`).
 * Never a raw substring: `usage` is not `age`, `sessionId` is not `ssn`.
 */
function lookupTokens(tokens: readonly string[], table: TermTable): TermEntry | undefined {
  // Only runs and suffixes as long as some term are looked up: each unique name is classified once, but a
  // large spec has thousands, and joining every run of tokens was most of the cost.
  const { entries, lengths } = table;
  for (let length = tokens.length; length >= 1; length--) {
    for (let start = 0; start + length <= tokens.length; start++) {
      let joinedLength = 0;
      for (let index = start; index < start + length; index++) joinedLength += tokens[index]!.length;
      if (!lengths.has(joinedLength)) continue;
      const entry = entries.get(length === 1 ? tokens[start]! : tokens.slice(start, start + length).join(''));
      if (entry) return entry;
    }
  }
  for (const token of tokens) {
    for (let start = 1; token.length - start >= 6; start++) {
      if (!lengths.has(token.length - start)) continue;
      const entry = entries.get(token.slice(start));
      if (entry) return entry;
    }
  }
  return undefined;
}

/** Names that carry a schema's or path's meaning, e.g. `Patient`, `/members/{id}`: is the data about a person? */
export function isPersonScoped(contextNames: readonly string[]): boolean {
  for (const name of contextNames) if (namesPerson(name)) return true;
  return false;
}

/** One name of `isPersonScoped`: a FHIR PHI resource type, or a person word among its tokens. */
export function namesPerson(name: string): boolean {
  // Asked of every property of every schema searched: names recur, so each is judged once.
  let answer = namesPersonCache.get(name);
  if (answer === undefined) {
    answer = phiVocabulary().fhirPhiTypes.has(name) || nameTokens(name).some((token) => PERSON_SCOPE_TOKENS.has(token));
    if (namesPersonCache.size < 100_000) namesPersonCache.set(name, answer);
  }
  return answer;
}

const namesPersonCache = new Map<string, boolean>();

/** Classifications by name, person-scoped and not. */
const classificationCache = { scoped: new Map<string, PhiMatch | null>(), unscoped: new Map<string, PhiMatch | null>() };

/**
 * Classifies one field or parameter name. `personScoped` says whether the enclosing schema or path is
 * about a person (then context terms such as `gender`, `city`, `patientId` count too).
 */
export function classifyName(name: string, personScoped: boolean): PhiMatch | undefined {
  // The same field names recur thousands of times in large specs: classify each once per scope.
  const cache = personScoped ? classificationCache.scoped : classificationCache.unscoped;
  const cached = cache.get(name);
  if (cached !== undefined) return cached ?? undefined;
  const result = classifyNameUncached(name, personScoped);
  if (cache.size < 50_000) cache.set(name, result ?? null);
  return result;
}

/** A DICOM JSON attribute key: the tag's group and element as eight hex digits (PS3.18 Annex F). */
const DICOM_TAG_KEY = /^[0-9A-Fa-f]{8}$/;

function classifyNameUncached(name: string, personScoped: boolean): PhiMatch | undefined {
  const vocab = phiVocabulary();
  if (DICOM_TAG_KEY.test(name)) {
    // A tag key is classified as its keyword: DICOM JSON (QIDO-RS results, WADO-RS metadata) writes `"00100010"`
    // where a FHIR or JSON API writes `patientName`. The tag says whose data it is, so the scope is the patient's.
    const keyword = vocab.dicomKeywordsByTag.get(name.toUpperCase());
    return keyword ? classifyNameUncached(keyword, true) : undefined;
  }
  const tokens = nameTokens(name);
  if (tokens.length === 0) return undefined;
  const joined = tokens.join('');
  if (vocab.traps.has(joined)) return undefined;
  const strong = lookupTokens(tokens, vocab.strong);
  if (strong && !isAggregate(tokens, strong.term)) return { ...strong.match, term: strong.term };
  if (strong) return undefined;
  if (!personScoped) return undefined;
  const context = lookupTokens(tokens, vocab.context);
  if (!context || !qualifiedByPerson(tokens, context.term)) return undefined;
  return { ...context.match, term: context.term };
}

/** Aggregates (`symptoms_count`, `diagnosisTotal`) count things; the term itself must not end that way (`stepCount`). */
const AGGREGATE_SUFFIXES = new Set(['count', 'counts', 'total', 'totals']);
function isAggregate(tokens: readonly string[], term: string): boolean {
  const last = tokens[tokens.length - 1]!;
  return AGGREGATE_SUFFIXES.has(last) && !joinedTerm(term).endsWith(last);
}

/** Context terms that are a person's attribute only when nothing else in the name says whose: `secretName`, `jobTitle`. */
const BARE_CONTEXT_TERMS = new Set(['name', 'title', 'titel']);
/** Qualifiers that keep `name` about the person: `contactName`, `patient_full_name`, `memberName`. */
const NAME_QUALIFIERS = new Set(['full', 'legal', 'real', 'display', 'official', 'nick', 'sur', 'pt', 'his', 'her', 'their', 'own', 'my']);

/**
 * `name` or `title` inside a longer field name (`dataTypeName`, `repo_name`, `name_substring`) names some other
 * thing; it is a person's name only when every other token is a person word (`patientName`, `contact_name`).
 */
function qualifiedByPerson(tokens: readonly string[], term: string): boolean {
  const joined = joinedTerm(term);
  if (!BARE_CONTEXT_TERMS.has(joined) || tokens.length === 1) return true;
  return tokens.every((token) => token === joined || PERSON_SCOPE_TOKENS.has(token) || NAME_QUALIFIERS.has(token));
}

/** Last tokens that make a name an identifier of a record (`immunization_id`, `studyUid`). */
export const ID_TOKENS: ReadonlySet<string> = new Set(['id', 'ids', 'uuid', 'guid', 'uid', 'uids']);
/** Categories that identify a person (not clinical data, which says nothing about whose `title` or `name` sits next to it). */
const IDENTIFYING_CATEGORIES = new Set(['direct-identifier', 'government-id', 'health-record-id', 'biometric', 'insurance-financial']);

/**
 * Whether the PHI terms side by side (one operation's parameters) single out a person even without a person-scoped
 * path: a strong, high-weight identifying term (`lastName`, `ssn`, `mrn`, `insuranceNumber`) makes its siblings'
 * context terms (`zip`, `phone`) a person's too, the vocabulary's sibling rule. Ids of records do not count.
 */
export function singlesOutPerson(named: readonly { readonly name: string; readonly phi?: PhiMatch }[]): boolean {
  for (const { name, phi } of named) {
    if (phi?.strength !== 'strong' || phi.weight !== 'high' || !IDENTIFYING_CATEGORIES.has(phi.category)) continue;
    const tokens = nameTokens(name);
    if (ID_TOKENS.has(tokens[tokens.length - 1] ?? '') && phi.category !== 'government-id') continue;
    return true;
  }
  return false;
}

/** Explicit classification in the spec wins over names: `x-phi: true`, `x-data-classification: phi|pii|public`. */
export function declaredClassification(schema: unknown): 'phi' | 'public' | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const record = schema as Record<string, unknown>;
  return classificationOf(record['x-phi'], record['x-pii'], record['x-data-classification']);
}

/** `declaredClassification` from the values of a schema's `x-phi`, `x-pii` and `x-data-classification`. */
export function classificationOf(xPhi: unknown, xPii: unknown, classification: unknown): 'phi' | 'public' | undefined {
  if (xPhi === true || xPii === true) return 'phi';
  if (xPhi === false) return 'public';
  if (typeof classification === 'string') {
    const lower = classification.toLowerCase();
    if (['phi', 'pii', 'ephi', 'sensitive', 'restricted', 'confidential', 'health'].includes(lower)) return 'phi';
    if (['public', 'none', 'non-phi'].includes(lower)) return 'public';
  }
  return undefined;
}

export function isFhirPhiResource(type: string): boolean {
  return phiVocabulary().fhirPhiTypes.has(type);
}

export function isFhirResourceName(type: string): boolean {
  const vocab = phiVocabulary();
  return vocab.fhirPhiTypes.has(type) || vocab.fhirNotPhi.has(type);
}

export function isFhirSearchParamCarryingPhi(name: string): boolean {
  return phiVocabulary().fhirSearchParamsCarryingPhi.has(name.replace(/:.*$/, ''));
}

export function isDicomPhiQueryKey(name: string): boolean {
  return phiVocabulary().dicomPhiQueryKeys.has(name.toLowerCase());
}
