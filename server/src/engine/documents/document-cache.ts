import { JsonSourceDocument } from './json-document';
import { reparseJsonAfterEdit } from './json-reparse';
import { parseSourceText, withoutByteOrderMark } from './parse';
import type { ParseResult, SourceDocument } from './source-document';
import { textChange } from './text-change';
import { YamlSourceDocument } from './yaml-document';
import { reparseYamlAfterEdit } from './yaml-reparse';

/**
 * The last parse of each file, for a client that lints the same files again and again (the language server):
 * unchanged text is not parsed again, a one-line edit of a YAML file re-parses only the entry around it, and an
 * edit inside a JSON string only that string.
 * The CLI parses every file once and does not use it.
 */
export class DocumentCache {
  private readonly documents = new Map<string, SourceDocument>();

  /** `capacity`: how many files are kept (the least recently parsed go first). */
  constructor(private readonly capacity = 64) {}

  /** Same contract as `parseSourceText`. */
  parse(uri: string, rawText: string): ParseResult {
    const text = withoutByteOrderMark(rawText);
    const previous = this.documents.get(uri);
    if (previous && previous.text === text) {
      // Most recently used last, so eviction takes the file parsed longest ago.
      this.documents.delete(uri);
      this.documents.set(uri, previous);
      return { document: previous };
    }
    const change = previous ? textChange(previous.text, text) : undefined;
    const incremental = !change
      ? undefined
      : previous instanceof YamlSourceDocument
        ? reparseYamlAfterEdit(previous, text, change)
        : previous instanceof JsonSourceDocument
          ? reparseJsonAfterEdit(previous, text, change)
          : undefined;
    // The previous document gave its AST to the new one (or it is replaced): it must not serve again.
    this.documents.delete(uri);
    const result: ParseResult = incremental ? { document: incremental } : parseSourceText(uri, text);
    if ('document' in result) {
      this.documents.set(uri, result.document);
      if (this.documents.size > this.capacity) this.documents.delete(this.documents.keys().next().value!);
    }
    return result;
  }

  forget(uri: string): void {
    this.documents.delete(uri);
  }
}
