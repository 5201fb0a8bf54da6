/**
 * Secret detection shared by secret-in-spec and url-credentials: value shapes of well-known credential
 * formats, secret-ish field names and placeholder values that are clearly not real secrets.
 * Descriptions returned here never contain the secret itself.
 */

export interface SecretShape {
  /** What was found, for messages: "an AWS access key id". */
  readonly what: string;
  /** Only reported in example/default/extension values, not in prose (descriptions). */
  readonly valuesOnly?: boolean;
  /** The credential as written in the string, to place a finding on it; never for messages. */
  readonly match?: string;
}

interface ShapePattern extends SecretShape {
  readonly regex: RegExp;
  /** Rejects documented sample values of a shape (`AKIAIOSFODNN7EXAMPLE`, the jwt.io token). */
  readonly sample?: (match: string) => boolean;
}

const SHAPES: readonly ShapePattern[] = [
  { what: 'an AWS access key id', regex: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, sample: (match) => match.endsWith('EXAMPLE') },
  { what: 'a GitHub token', regex: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/, sample: isSampleToken },
  { what: 'a Stripe live secret key', regex: /\b[sr]k_live_[0-9A-Za-z]{16,}\b/, sample: isSampleToken },
  { what: 'a Slack token', regex: /\bxox[abposr]-[0-9A-Za-z-]{10,}/, sample: isSampleToken },
  { what: 'a Google API key', regex: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/, sample: isSampleToken },
  { what: 'a private key', regex: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----\s*[A-Za-z0-9+/=\r\n\\:,-]{64,}/ },
  { what: 'a JWT', regex: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/, sample: isSampleJwt },
  { what: 'a bearer token', regex: /\bBearer\s+[A-Za-z0-9._~+/-]{20,}=*/, valuesOnly: true, sample: (match) => isPlaceholder(match.replace(/^Bearer\s+/, '')) || !looksRandom(match.replace(/^Bearer\s+/, '')) },
  { what: 'HTTP Basic credentials', regex: /\bBasic\s+[A-Za-z0-9+/]{8,}={0,2}(?![A-Za-z0-9+/=])/, valuesOnly: true, sample: (match) => !isRealBasicCredential(match.replace(/^Basic\s+/, '')) },
];

/** One cheap test before the specific patterns: most strings contain none of these. */
const PREFILTER = /AKIA|ASIA|gh[pousr]_|github_pat_|k_live_|xox[abposr]-|AIza|PRIVATE KEY|eyJ|Bearer\s|Basic\s/;

/** Returned when a string has a credential's shape but is a documented sample: not reported, not checked by name either. */
export const SAMPLE_SHAPE: SecretShape = { what: 'a documentation sample' };

/**
 * The credential shape found in a string, if any; `inValue` is false for prose (descriptions, summaries).
 * `SAMPLE_SHAPE` when the only shapes found are documentation samples.
 */
export function secretShapeIn(text: string, inValue: boolean): SecretShape | undefined {
  if (text.length < 16 || !PREFILTER.test(text)) return undefined;
  let sample = false;
  for (const shape of SHAPES) {
    if (shape.valuesOnly && !inValue) continue;
    const match = shape.regex.exec(text);
    if (!match) continue;
    if (!(shape.sample?.(match[0]) ?? false)) return { what: shape.what, match: match[0] };
    sample = true;
  }
  return sample ? SAMPLE_SHAPE : undefined;
}

export type SecretNameKind = 'password' | 'secret' | 'authorization';

/**
 * Names that are not credentials although they end like one: hashes and masks of a secret (`hashedPassword`,
 * `last4`), pagination cursors, CSRF/idempotency tokens, device push tokens. `credential(s)` is not a secret
 * name either: in health APIs it is a clinician's qualification (`MD`, a licence number).
 */
const NOT_SECRET_NAME = /^(hashed|hash|masked|redacted|encrypted|last\d*|partial|truncated|public)|(page|next|continuation|sync|cursor|resume|csrf|xsrf|idempotency|pagination|delta|skip|start|verification|device|push|registration|notification|fcm|apns|count|limit|max|min)token$/;

/** What kind of credential a field name says its value is, or undefined for ordinary names. */
export function secretNameKind(name: string): SecretNameKind | undefined {
  const normalized = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (normalized === '' || normalized.length > 40) return undefined;
  if (normalized === 'authorization' || normalized === 'proxyauthorization' || normalized === 'xauthorization') return 'authorization';
  if (NOT_SECRET_NAME.test(normalized)) return undefined;
  if (/(password|passwd|passphrase|passcode)$/.test(normalized) || normalized === 'pwd' || normalized === 'pass') return 'password';
  if (
    /(secret|secretkey|privatekey|apikey|accesskey|accesskeyid|apitoken|accesstoken|refreshtoken|authtoken|idtoken|bearertoken|sessiontoken|securitytoken|token|signingkey|encryptionkey|masterkey|sharedkey|subscriptionkey|clientkey|appkey|appsecret|sastoken)$/.test(
      normalized,
    ) ||
    normalized === 'xapikey'
  ) {
    return 'secret';
  }
  return undefined;
}

const PLACEHOLDER_WORDS = /(example|sample|demo|placeholder|redacted|replace|insert|your|dummy|fake|foobar|lorem|xxx|\*\*\*|••|\.\.\.|<|>|\{|\}|\$\{|%s|\[|\])/i;

/** Values that only name the kind of thing (`string`, `password`, `api_key`). */
const GENERIC_VALUES = /^(string|str|text|value|undefined|null|none|nil|secret|password|passwd|pwd|pass|token|accesstoken|refreshtoken|bearertoken|apikey|apitoken|key|clientsecret|privatekey|signature|sig|credentials?|auth|authorization|bearer|basic|hidden|masked|notset|unset|empty|default|todo|tbd)$/;

/** Swagger UI's default UUID and similar well-known filler values. */
const FILLER_VALUES = new Set([
  // RFC 6749 / 6750 sample tokens, codes and client credentials, copied into many API descriptions.
  '2yotnfzfejr1zcsicmwpaa', 'tgzv3jokf0xg5qx2tlkwia', 'splxlobezqqybys6wxsbia', 's6bhdrkqt3', 'gx1fbat3bv', '7fjfp0zbr1ktdrbnfvdmiw', 'mf_9.b5f-4.1jqm',
  'czzcagrsa3f0mzpnwdfmqmf0m2jw',
  '3fa85f64-5717-4562-b3fc-2c963f66afa6', '00000000-0000-0000-0000-000000000000', 'abcdef', 'abc123', '123456', '12345678', 'qwerty', 'n/a', 'na', 'true', 'false', 'test', 'testing', 'demo']);

/**
 * True for values nobody would mistake for a real credential: `<token>`, `{apiKey}`, `your-api-key`, `xxxx`,
 * `****`, `string`, `example`, `${SECRET}`. Default credentials such as `changeme`, `admin`, `changeit` are NOT placeholders.
 */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed.length === 0) return true;
  const lower = trimmed.toLowerCase();
  if (FILLER_VALUES.has(lower)) return true;
  if (/^(.)\1*$/.test(trimmed)) return true; // aaaa, 0000, xxxx
  if (/^[x*•#.\-_0]+$/i.test(trimmed)) return true; // masks
  if (/^\$[A-Z_][A-Z0-9_]*$/.test(trimmed) || /^%[A-Z_]+%$/.test(trimmed) || /^env:/i.test(trimmed)) return true; // $SECRET, %SECRET%
  if (/0123456789|1234567890|abcdefghij|abcdef123456|123456abcdef|16c7e42f292c6912e7710c838347ae178b4a/i.test(trimmed)) return true; // counting sequences, GitHub's docs token
  if (GENERIC_VALUES.test(lower.replace(/[^a-z0-9]/g, ''))) return true;
  return PLACEHOLDER_WORDS.test(trimmed);
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** A token-like string: no spaces, mixed letters and digits or long and high-entropy. */
export function looksRandom(value: string): boolean {
  if (/\s/.test(value) || value.length < 8) return false;
  const hasDigit = /[0-9]/.test(value);
  const hasLetter = /[A-Za-z]/.test(value);
  if (value.length >= 32 && entropy(value) >= 3.5) return true;
  return hasDigit && hasLetter && entropy(value) >= 2.5;
}

/**
 * Whether the value of a field with a credential name is a real-looking literal credential.
 * Passwords: any non-placeholder word without spaces (default passwords like `changeme` count).
 * Tokens, keys, secrets: a non-placeholder token-like string.
 */
export function isLiteralCredential(kind: SecretNameKind, value: string): boolean {
  let candidate = value.trim();
  if (candidate.length < 4 || candidate.length > 4096) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(candidate)) return false; // a URL (url-credentials looks inside URLs)
  if (kind === 'authorization') {
    const scheme = /^(bearer|basic|token|digest|apikey|sso-key)\s+(.+)$/i.exec(candidate);
    if (scheme) candidate = scheme[2]!.trim();
    if (scheme?.[1]!.toLowerCase() === 'basic') return isRealBasicCredential(candidate);
    // Without an auth scheme, `authorization` is often a prior-authorization number (`Auth_123`): only long random values count.
    return !isPlaceholder(candidate) && looksRandom(candidate) && (scheme !== null || candidate.length >= 20);
  }
  if (isPlaceholder(candidate)) return false;
  if (kind === 'secret' && /[:\s]/.test(candidate)) return false; // ARNs, URNs, prose: not a key
  if (kind === 'password') return !/\s/.test(candidate) && !/^(hashed|encrypted|bcrypt|sha\d*|md5)$/i.test(candidate);
  return looksRandom(candidate);
}

/** `Basic dXNlcjpzM2NyZXQ=` with a real-looking password after the colon. */
function isRealBasicCredential(encoded: string): boolean {
  let decoded: string;
  try {
    decoded = Buffer.from(encoded, 'base64').toString('utf8');
  } catch {
    return false;
  }
  const colon = decoded.indexOf(':');
  if (colon < 1 || /[^\x20-\x7e]/.test(decoded)) return false;
  const password = decoded.slice(colon + 1);
  return password.length >= 4 && !isPlaceholder(password) && !isPlaceholder(decoded.slice(0, colon) + password);
}

/** Documentation samples: shape-valid tokens made of one repeated character or obvious filler. */
function isSampleToken(match: string): boolean {
  if (isPlaceholder(match)) return true;
  const body = match.replace(/^[A-Za-z]+_(?:live_)?|^xox[a-z]-|^AIza/, '');
  return /example|sample|test|fake|dummy|x{6,}|0{8,}|1234567890/i.test(body) || entropy(body) < 3;
}

/** The jwt.io sample token ("John Doe", sub 1234567890) and other JWTs whose payload is not JSON. */
function isSampleJwt(match: string): boolean {
  const payload = match.split('.')[1] ?? '';
  let text: string;
  try {
    text = Buffer.from(payload.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  } catch {
    return true;
  }
  if (!/^\s*\{/.test(text)) return true;
  return /"John Doe"|"sub"\s*:\s*"1234567890"|example/i.test(text);
}

const SECRET_QUERY_NAMES = new Set([
  'key', 'apikey', 'xapikey', 'accesstoken', 'token', 'authtoken', 'auth', 'idtoken', 'refreshtoken', 'password', 'passwd', 'pwd', 'pass',
  'secret', 'clientsecret', 'sig', 'signature', 'xamzsignature', 'xamzcredential', 'xamzsecuritytoken', 'xgoogsignature', 'xgoogcredential',
  'sessiontoken', 'apitoken', 'subscriptionkey',
]);

/** Query parameter names that carry credentials when given a literal value in a URL. */
export function isSecretQueryName(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_QUERY_NAMES.has(normalized) || secretNameKind(name) !== undefined;
}
