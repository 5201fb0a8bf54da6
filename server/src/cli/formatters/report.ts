import * as path from 'node:path';
import type { Finding, Severity } from '../../engine/finding';
import type { OpenApiRule } from '../../engine/rule';

/** What a formatter gets: the findings of the whole run, plus the context to render them. */
export interface LintReport {
  /** Sorted by file, line, column, rule. */
  readonly findings: readonly Finding[];
  /** Every file that was linted as a spec (roots and referenced files), for tools that list them. */
  readonly lintedFiles: readonly string[];
  readonly rules: readonly OpenApiRule[];
  /** Directory that output paths are relative to. */
  readonly cwd: string;
  /**
   * The repository root, for code scanning and workflow annotations, which GitHub resolves from the root of the
   * repository whatever the job's working directory: `GITHUB_WORKSPACE`, else the nearest folder with `.git`,
   * else `cwd`.
   */
  readonly projectRoot?: string;
  readonly color: boolean;
  readonly toolVersion: string;
}

export type Formatter = (report: LintReport) => string;

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/**
 * `uri` relative to `cwd` with `/` separators, memoised: a run's thousands of findings sit in a handful of
 * files, and `path.relative` is not cheap.
 */
export function relativePaths(cwd: string): (uri: string) => string {
  const cache = new Map<string, string>();
  return (uri) => {
    let relative = cache.get(uri);
    if (relative === undefined) cache.set(uri, (relative = path.relative(cwd, uri).split(path.sep).join('/')));
    return relative;
  };
}

/** The repository root that contains `cwd` (see `LintReport.projectRoot`). */
export function projectRootOf(cwd: string, env: Readonly<Record<string, string | undefined>>, exists: (filePath: string) => boolean): string {
  const workspace = env['GITHUB_WORKSPACE'];
  if (workspace && !path.relative(path.resolve(workspace), cwd).startsWith('..')) return path.resolve(workspace);
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    if (exists(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return cwd;
  }
}
