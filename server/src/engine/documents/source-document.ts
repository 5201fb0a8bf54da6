import type { JsonPath } from '../json-pointer';
import type { LineIndex, SourceRange } from '../source-range';

/** Which part of a member a finding points at: its key (`get:`) or its value. */
export type NodePart = 'key' | 'value';

export interface LocateRequest {
  readonly path: JsonPath;
  readonly part: NodePart;
}

/** Where a path was found; `exact` is false when the path does not exist and the closest existing ancestor was used. */
export interface Located {
  readonly range: SourceRange;
  readonly exact: boolean;
}

/**
 * A parsed file: its plain value for analysis, plus a way to find source ranges.
 * Ranges are computed on demand and in batches, because most nodes of a large spec are never reported.
 */
export interface SourceDocument {
  /** Absolute file path (or URL for remote documents). */
  readonly uri: string;
  readonly text: string;
  readonly format: 'json' | 'yaml';
  readonly value: unknown;
  readonly lines: LineIndex;
  /** Resolves many paths in one pass over the source; results are in request order. */
  locateAll(requests: readonly LocateRequest[]): Located[];
  /** Whether `offset` lies inside a scalar's text (YAML), where a `#` starts no comment. */
  isInScalar?(offset: number): boolean;
  /** What is wrong with the text although it could be read (a key written twice); reported as `parse-error`. */
  readonly problems?: readonly DocumentProblem[];
}

/** A problem of a document that was parsed anyway. */
export interface DocumentProblem {
  readonly message: string;
  readonly range: SourceRange;
}

/** A file that could not be parsed, with the place of the first error. */
export interface DocumentParseFailure {
  readonly message: string;
  readonly range: SourceRange;
}

export type ParseResult = { readonly document: SourceDocument } | { readonly failure: DocumentParseFailure };
