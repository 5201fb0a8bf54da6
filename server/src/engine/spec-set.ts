import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocumentCache } from './documents/document-cache';
import type { SourceDocument } from './documents/source-document';
import { looksBinary, parseSourceText } from './documents/parse';
import { parseJsonPointer, valueAtPath, type JsonPath } from './json-pointer';
import type { ReplayableVisitor } from './member-walk';
import { childOf, isPlainObject, nodeKey, type SpecNode } from './spec-node';
import { readTextFile } from './documents/read-text';

/** A `$ref` that could not be followed, reported where the `$ref` is written. */
export interface RefProblem {
  readonly node: SpecNode;
  readonly message: string;
}

export interface SpecLoadOptions {
  /** Follow `http(s)://` references. Off by default: linting never touches the network unless configured. */
  readonly allowRemoteRefs?: boolean;
  /** The unsaved text of a file open in an editor (the language server's), or undefined to read it from disk. */
  readonly readText?: (filePath: string) => string | undefined | Promise<string | undefined>;
  readonly maxFileBytes?: number;
  /** Parses through a cache of the previous parses (the language server's), instead of from scratch. */
  readonly documents?: DocumentCache;
}

const MAX_REF_HOPS = 64;

function isRemote(uri: string): boolean {
  return /^https?:\/\//i.test(uri);
}

/** A `$ref` target that must never be opened: another host's file share is network access in disguise. */
class RefTargetRejected extends Error {}

/**
 * The absolute location a `$ref` file part names, relative to the file it is written in. `file://` URLs with a
 * host and UNC paths (`//host/share`, `\\\\host\\share`) are rejected: opening them would reach the network.
 */
function resolveRefTarget(fromUri: string, filePart: string): string {
  if (isRemote(filePart)) return filePart;
  if (isRemote(fromUri)) return new URL(filePart, fromUri).toString();
  let decoded = filePart;
  try {
    decoded = decodeURIComponent(filePart);
  } catch {
    // keep the literal text
  }
  if (/^[\\/]{2}/.test(decoded)) throw new RefTargetRejected('a network path (//host/...) is never opened');
  if (/^file:/i.test(decoded)) return localFilePath(decoded);
  return path.resolve(path.dirname(fromUri), decoded);
}

/** The local path of a `file:` URL; a URL naming a host is rejected rather than opened. */
function localFilePath(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RefTargetRejected('malformed file URL');
  }
  if (parsed.host !== '' && parsed.host !== 'localhost') throw new RefTargetRejected(`file URL names host '${parsed.hostname}'; only local files are read`);
  try {
    return fileURLToPath(parsed);
  } catch {
    throw new RefTargetRejected('file URL cannot be turned into a local path');
  }
}

function normaliseLoaderUrl(url: string): string {
  const withoutHash = url.replace(/#.*$/, '');
  if (/^file:/i.test(withoutHash)) return localFilePath(withoutHash);
  return isRemote(withoutHash) ? withoutHash : loaderPathToFilePath(withoutHash);
}

/**
 * The loader percent-encodes local paths as URLs (`/my api/` → `/my%20api/`, `#` → `%23`): decoded back, as its own
 * `toFileSystemPath` does, or a spec in a folder with a space or an umlaut loses every external `$ref`. Reserved
 * characters first and `%25` last, so a file really named `%3F.yaml` (encoded `%253F`) is decoded once.
 */
function loaderPathToFilePath(encoded: string): string {
  let decoded = encoded.replace(/%(?![0-9A-Fa-f]{2})/g, '%25');
  for (const [escape, character] of RESERVED_ESCAPES) decoded = decoded.replace(escape, character);
  try {
    return decodeURI(decoded);
  } catch {
    return encoded;
  }
}

const RESERVED_ESCAPES: readonly [RegExp, string][] = [
  [/%23/gi, '#'],
  [/%24/gi, '$'],
  [/%26/gi, '&'],
  [/%2C/gi, ','],
  [/%3F/gi, '?'],
  [/%40/gi, '@'],
];

/**
 * The files of one multi-file spec and `$ref` navigation across them. Every node keeps the file
 * and path where it is written, so a finding about a referenced schema is reported in that schema's file.
 */
export class SpecSet {
  private readonly problems = new Map<string, RefProblem>();
  private readonly targets: { readonly uri: string; readonly path: JsonPath }[] = [];
  /** Resolved targets per file and reference text: large specs repeat the same `$ref` thousands of times. */
  private readonly resolved = new Map<SourceDocument, Map<string, SpecNode | { message: string }>>();

  constructor(
    readonly root: SourceDocument,
    private readonly documents: ReadonlyMap<string, SourceDocument>,
    private readonly loadFailures: ReadonlyMap<string, string>,
  ) {}

  /** Files the spec refers to that could not be read or parsed: creating or mending one changes the spec. */
  unreadFiles(): string[] {
    return [...this.loadFailures.keys()];
  }

  rootNode(): SpecNode {
    return { doc: this.root, path: [], value: this.root.value };
  }

  /**
   * Every file of the spec that was loaded, the root first, the others by name: the crawl reads files
   * concurrently, so the order they were loaded in differs from run to run.
   */
  get files(): SourceDocument[] {
    const others = [...this.documents.values()].filter((doc) => doc !== this.root).sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
    return [this.root, ...others];
  }

  /**
   * Follows `$ref` chains to the node they name; a broken or circular chain stops at the last good node.
   * Broken references are reported by `refCheckVisitor` alone, so what `ref-unresolved` finds does not depend
   * on which other rules ran and followed which references.
   */
  deref(node: SpecNode | undefined): SpecNode | undefined {
    if (!node) return undefined;
    // Most nodes the model asks about are no reference: answered without the chain bookkeeping.
    const value = node.value;
    if (!isPlainObject(value) || typeof value['$ref'] !== 'string') return node;
    return this.follow(node).target;
  }

  /**
   * A visitor for the shared member walk that follows every `$ref` of every loaded file, each distinct
   * reference text once per file, and records the broken ones at their own `$ref` value.
   * `example` values are literal data in OpenAPI, not Reference Objects, even when they contain `$ref`.
   */
  refCheckVisitor(): ReplayableVisitor<{ readonly path: JsonPath; readonly value: Record<string, unknown>; readonly ref: string }> {
    return {
      cacheKey: 'ref-unresolved',
      only: 'containers',
      member: (_doc, path, key, value, _container, _depth, emit) => {
        if (key === 'example' || key === 'x-example') return false;
        if (Array.isArray(value)) return true;
        if (value === null || typeof value !== 'object') return false;
        const ref = (value as Record<string, unknown>)['$ref'];
        if (typeof ref !== 'string') return true;
        emit({ path: [...path], value: value as Record<string, unknown>, ref });
        return false;
      },
      // Resolved after the walk, so a reference replayed from an unchanged part of a file is judged by the
      // files as they are now.
      done: (references) => {
        // Per file, per reference text (GitHub's description has 20,000 references to 2,000 targets).
        const outcomesByDoc = new Map<SourceDocument, Map<string, string | undefined>>();
        for (const { doc, observation } of references) {
          let outcomes = outcomesByDoc.get(doc);
          if (!outcomes) outcomesByDoc.set(doc, (outcomes = new Map()));
          let message = outcomes.get(observation.ref);
          if (message === undefined && !outcomes.has(observation.ref)) {
            // A reference is reported where it is broken: its own target missing, or a chain that loops back.
            // A good reference to a node that is itself a broken `$ref` is not: that node is reported in its place.
            const node: SpecNode = { doc, path: observation.path, value: observation.value };
            const hop = this.resolveRefCached(node, observation.ref);
            const circular = 'message' in hop ? undefined : this.follow(node).problem?.message;
            message = 'message' in hop ? hop.message : circular?.startsWith('Circular') ? circular : undefined;
            outcomes.set(observation.ref, message);
          }
          if (message) this.recordProblem(childOf({ doc, path: observation.path, value: observation.value }, '$ref')!, message);
        }
      },
    };
  }

  /** Broken references found by `refCheckVisitor`. */
  refProblems(): RefProblem[] {
    return [...this.problems.values()];
  }

  private follow(node: SpecNode): { target: SpecNode; problem?: RefProblem } {
    let current = node;
    // Identity of the `$ref` objects visited: a chain that meets one again is circular. Most chains have one
    // hop: the set exists only once a second `$ref` is met.
    let first: unknown;
    let seen: Set<unknown> | undefined;
    for (let hops = 0; hops < MAX_REF_HOPS; hops++) {
      const value = current.value;
      if (!isPlainObject(value) || typeof value['$ref'] !== 'string') return { target: current };
      if (value === first || seen?.has(value)) return { target: current, problem: { node: childOf(current, '$ref')!, message: 'Circular $ref: the reference chain leads back to itself' } };
      if (first === undefined) first = value;
      else (seen ??= new Set()).add(value);
      const resolved = this.resolveRefCached(current, value['$ref']);
      if ('message' in resolved) return { target: current, problem: { node: childOf(current, '$ref')!, message: resolved.message } };
      current = resolved;
    }
    return { target: current, problem: { node: childOf(node, '$ref')!, message: `$ref chain longer than ${MAX_REF_HOPS} hops` } };
  }

  private resolveRefCached(from: SpecNode, ref: string): SpecNode | { message: string } {
    let perDoc = this.resolved.get(from.doc);
    if (!perDoc) this.resolved.set(from.doc, (perDoc = new Map()));
    let target = perDoc.get(ref);
    if (!target) perDoc.set(ref, (target = this.resolveRef(from, ref)));
    return target;
  }

  private resolveRef(from: SpecNode, ref: string): SpecNode | { message: string } {
    const hashIndex = ref.indexOf('#');
    const filePart = hashIndex === -1 ? ref : ref.slice(0, hashIndex);
    const pointer = hashIndex === -1 ? '' : ref.slice(hashIndex + 1);
    // A node kept from an earlier lint (see SchemaMemoCache) may name an earlier parse of its file.
    let doc: SourceDocument | undefined = this.documents.get(from.doc.uri) ?? from.doc;
    if (filePart !== '') {
      let target: string;
      try {
        target = resolveRefTarget(from.doc.uri, filePart);
      } catch (error) {
        if (error instanceof RefTargetRejected) return { message: `Cannot resolve $ref '${ref}': ${error.message}` };
        throw error;
      }
      doc = this.documents.get(target);
      if (!doc) {
        const reason = this.loadFailures.get(target) ?? (isRemote(target) ? 'remote references are not fetched (set allowRemoteRefs to follow them)' : 'file not found');
        return { message: `Cannot resolve $ref '${ref}': ${reason}` };
      }
    }
    const segments = parseJsonPointer(pointer);
    const value = valueAtPath(doc.value, segments);
    if (value === undefined) return { message: `Cannot resolve $ref '${ref}': no such node in ${path.basename(doc.uri)}` };
    this.targets.push({ uri: doc.uri, path: segments });
    return { doc, path: segments, value };
  }

  /** Every `$ref` target resolved so far (each distinct reference once per file). */
  resolvedTargets(): readonly { readonly uri: string; readonly path: JsonPath }[] {
    return this.targets;
  }

  /** The loaded document of a file, or `doc` itself (a node kept from an earlier lint names an earlier parse). */
  currentDocument(doc: SourceDocument): SourceDocument {
    return this.documents.get(doc.uri) ?? doc;
  }

  private recordProblem(node: SpecNode, message: string): void {
    const key = nodeKey(node);
    if (!this.problems.has(key)) this.problems.set(key, { node, message });
  }
}

/** What follows `$ref` in a reference to another file or a URL: a key's closing quote, a colon, a target not starting with `#`. */
const EXTERNAL_REF_TAIL = /["']?\s*:\s*["']?(?!#)[^\s"'#]/y;

/**
 * External (`other.yaml#/...` or URL) references anywhere in the text; a spec with none needs no file crawl.
 * Each `$ref` is found with `indexOf` and only its tail is matched: a regular expression over the whole text
 * tries a match at every offset (12 ms on GitHub's 13 MB description, for every re-lint in the editor).
 */
function mayHaveExternalRefs(text: string): boolean {
  for (let at = text.indexOf('$ref'); at !== -1; at = text.indexOf('$ref', at + 4)) {
    EXTERNAL_REF_TAIL.lastIndex = at + 4;
    if (EXTERNAL_REF_TAIL.test(text)) return true;
  }
  return false;
}

/**
 * Loads every file a spec references. The crawl itself is `@apidevtools/json-schema-ref-parser`'s
 * (relative paths, URL resolution, cycles between files, optional HTTP); our resolver and parser
 * plug-ins make it read through our loader and keep our position-aware documents.
 */
export async function loadSpecSet(root: SourceDocument, options: SpecLoadOptions = {}): Promise<SpecSet> {
  const documents = new Map<string, SourceDocument>([[root.uri, root]]);
  const failures = new Map<string, string>();
  if (!mayHaveExternalRefs(root.text)) return new SpecSet(root, documents, failures);

  const maxBytes = options.maxFileBytes ?? 100 * 1024 * 1024;
  const readText = options.readText;
  const { $RefParser } = await import('@apidevtools/json-schema-ref-parser');
  const parser = new $RefParser();
  const fileResolver = {
    order: 1,
    canRead: (file: { url: string }) => !isRemote(file.url),
    read: async (file: { url: string }) => {
      const filePath = normaliseLoaderUrl(file.url);
      if (/^[\\/]{2}/.test(filePath)) throw new RefTargetRejected('a network path is never opened');
      try {
        const open = readText ? await readText(filePath) : undefined;
        if (open !== undefined) return open;
        const stat = await fs.stat(filePath);
        // A device never ends (`$ref: /dev/zero`) and a pipe may never be written (`/dev/stdin` is the language
        // server's own input): only regular files are read.
        if (!stat.isFile()) throw new Error('not a regular file');
        if (stat.size > maxBytes) throw new Error(`file is larger than ${Math.round(maxBytes / 1048576)} MB`);
        const text = await readTextFile(filePath);
        if (looksBinary(text)) throw new Error('binary file');
        return text;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        failures.set(filePath, code === 'ENOENT' ? 'file not found' : code ? `cannot read file (${code})` : (error as Error).message);
        throw error;
      }
    },
  };
  const positionParser = {
    order: 1,
    allowEmpty: true,
    canParse: true,
    parse: (file: { url: string; data: string | Buffer }) => {
      let uri: string;
      try {
        uri = normaliseLoaderUrl(file.url);
      } catch {
        throw new Error('unreadable reference');
      }
      if (uri === root.uri) return root.value;
      const text = typeof file.data === 'string' ? file.data : file.data.toString('utf8');
      const result = options.documents ? options.documents.parse(uri, text) : parseSourceText(uri, text);
      if ('failure' in result) {
        const where = result.failure.range.start;
        failures.set(uri, `${result.failure.message} at line ${where.line + 1}`);
        throw new Error(result.failure.message);
      }
      documents.set(uri, result.document);
      return result.document.value;
    },
  };
  try {
    await parser.resolve(root.uri, root.value as object, {
      continueOnError: true,
      parse: { json: false, yaml: false, text: false, binary: false, healthlint: positionParser },
      resolve: {
        external: true,
        file: fileResolver,
        http: options.allowRemoteRefs ? { timeout: 10_000, redirects: 3 } : false,
      },
    } as never);
  } catch {
    // Errors are per file and already recorded in `failures`; the refs that need them report at their `$ref`.
  }
  return new SpecSet(root, documents, failures);
}
