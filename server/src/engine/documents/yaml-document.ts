import type { Document, Node as YamlNode } from 'yaml';

/** `yaml` is loaded on first use: a run over JSON specs never pays for it. */
function yamlLibrary(): typeof import('yaml') {
  return require('yaml') as typeof import('yaml');
}
import { LineIndex, type SourceRange } from '../source-range';
import type { LocateRequest, Located, ParseResult, SourceDocument } from './source-document';

/** Keys the way `toJS` writes them, so `200:` matches the path segment "200". */
function keyText(key: unknown): string {
  if (yamlLibrary().isScalar(key)) return String(key.value);
  return String(key);
}

class YamlSourceDocument implements SourceDocument {
  readonly format = 'yaml' as const;
  readonly lines: LineIndex;

  constructor(readonly uri: string, readonly text: string, readonly value: unknown, private readonly ast: Document) {
    this.lines = new LineIndex(text);
  }

  locateAll(requests: readonly LocateRequest[]): Located[] {
    return requests.map((request) => this.locate(request));
  }

  private locate(request: LocateRequest): Located {
    const { isMap, isPair, isSeq } = yamlLibrary();
    let node: unknown = this.ast.contents;
    let keyNode: YamlNode | undefined;
    let valueNode: YamlNode | undefined = node as YamlNode | undefined;
    let exact = true;
    for (const segment of request.path) {
      const resolved = this.resolveAlias(node);
      let found = false;
      if (isMap(resolved)) {
        const wanted = String(segment);
        for (const item of resolved.items) {
          if (isPair(item) && keyText(item.key) === wanted) {
            keyNode = (item.key as YamlNode | null) ?? undefined;
            valueNode = (item.value as YamlNode | null) ?? undefined;
            node = item.value;
            found = true;
          }
        }
      } else if (isSeq(resolved)) {
        const item = resolved.items[Number(segment)];
        if (item !== undefined) {
          keyNode = undefined;
          valueNode = (item as YamlNode | null) ?? undefined;
          node = item;
          found = true;
        }
      }
      if (!found || (valueNode === undefined && keyNode === undefined)) {
        exact = false;
        break;
      }
    }
    const useKey = (request.part === 'key' || !exact || !valueNode?.range) && keyNode?.range;
    const target = useKey ? keyNode : valueNode;
    return { range: this.rangeOfNode(target), exact };
  }

  /** Anchored nodes (`*ref`) are followed so paths through aliases resolve, as `toJS` does. */
  private resolveAlias(node: unknown): unknown {
    const { isAlias } = yamlLibrary();
    for (let hops = 0; hops < 32 && isAlias(node); hops++) node = node.resolve(this.ast);
    return node;
  }

  private rangeOfNode(node: YamlNode | undefined): SourceRange {
    const range = node?.range;
    if (!range) return this.lines.rangeOf(0, 0);
    return this.lines.rangeOf(range[0], range[1]);
  }
}

/**
 * Parses YAML with `yaml`'s document API, which keeps a source range on every node.
 * Merge keys are honoured (YAML 1.1 `<<`, common in real specs); aliases are capped to stop alias bombs.
 */
export function parseYamlDocument(uri: string, text: string): ParseResult {
  const lines = new LineIndex(text);
  let ast: Document;
  try {
    ast = yamlLibrary().parseDocument(text, { merge: true, uniqueKeys: false, prettyErrors: false, strict: false });
  } catch (error) {
    return { failure: { message: `Invalid YAML: ${(error as Error).message}`, range: lines.rangeOf(0, 0) } };
  }
  const firstError = ast.errors[0];
  if (firstError) {
    const [start, end] = firstError.pos;
    return { failure: { message: `Invalid YAML: ${describeYamlError(firstError.message)}`, range: lines.rangeOf(start, Math.max(end, start)) } };
  }
  try {
    const value = ast.toJS({ maxAliasCount: 1000 });
    return { document: new YamlSourceDocument(uri, text, value, ast) };
  } catch (error) {
    return { failure: { message: `Invalid YAML: ${(error as Error).message}`, range: lines.rangeOf(0, 0) } };
  }
}

/** `yaml`'s messages can end by quoting a token of the file (possible PHI): keep only the description. */
function describeYamlError(message: string): string {
  return message.split('\n', 1)[0]!.replace(/:\s*".*$/, '').replace(/\s+at line \d+.*$/, '');
}
