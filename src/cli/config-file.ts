/**
 * Options files (`serve --config`): JSON (by extension) or YAML, checked against their JSON Schema
 * in schemas/ like every other input, every problem reported as `file:line:col: path message` —
 * the positions come from `yaml`'s document, as for scenario files (src/scenario/load.ts,
 * positions.ts). An unknown key names the closest known one: `unknown key "dataDirectory" (did you
 * mean dataDir?)`.
 */
import { parseYamlDocument, readTextFile, TextFileTooLarge, yamlValue } from '../core/text-files.ts';
import { parseJson } from '../contract/parse-json.ts';
import { isValid, validate, type MessageName, type MessageOf } from '../contract/registry.ts';
import { formatIssue, type ScenarioIssue } from '../scenario/load.ts';
import { formatPath, positionOf, type PathSegment } from '../scenario/positions.ts';
import { describeSchemaErrors, type DescribeOptions } from '../scenario/schema-issues.ts';
import { UsageError } from './args.ts';

export type ConfigIssue = ScenarioIssue;

/** A config file that does not parse or conform: one `file:line:col: …` line per problem. */
export class ConfigFileError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigFileError';
    this.issues = issues;
  }
}

export interface ConfigFile<T> {
  /** The file's content, valid against its schema. */
  value: T;
  /** An issue at the key or value `segments` lead to, for checks beyond the schema. */
  at(segments: readonly PathSegment[], message: string): ConfigIssue;
}

export type ConfigFileOptions = DescribeOptions;

/**
 * Parse `text` (the content of `file`, shown as `displayName`) and check it against the schema
 * `schemaName`. Throws ConfigFileError listing every problem.
 */
export function parseConfigFile<N extends MessageName>(
  text: string,
  displayName: string,
  schemaName: N,
  opts: ConfigFileOptions = {},
): ConfigFile<MessageOf<N>> {
  const issue = (line: number, col: number, message: string): ConfigIssue => ({
    file: displayName,
    line,
    col,
    path: '',
    message,
  });
  const json = /\.json$/i.test(displayName);
  let value: unknown;
  if (json) {
    const parsed = parseJson(text);
    if (!parsed.ok)
      throw new ConfigFileError([issue(parsed.line, parsed.column, `invalid JSON: ${parsed.message}`)]);
    value = parsed.value;
  }
  const parsed = parseYamlDocument(text, json ? 'JSON' : 'YAML');
  if ('problems' in parsed)
    throw new ConfigFileError(parsed.problems.map((p) => issue(p.line, p.col, p.message)));
  const { doc, lineCounter } = parsed;
  if (!json) {
    const expanded = yamlValue(parsed);
    if (!expanded.ok) {
      const p = expanded.problem;
      throw new ConfigFileError([issue(p.line, p.col, p.message)]);
    }
    value = expanded.value;
  }
  // An empty file is an empty set of options.
  if (value === null || value === undefined) value = {};
  const at = (segments: readonly PathSegment[], message: string): ConfigIssue => {
    const pos = positionOf(doc, lineCounter, segments);
    return { file: displayName, line: pos.line, col: pos.col, path: formatPath(segments), message };
  };
  if (typeof value !== 'object' || Array.isArray(value)) {
    const got = Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    throw new ConfigFileError([
      { ...at([], `expected a mapping of options (key: value), got ${got}`), path: '' },
    ]);
  }
  if (isValid(schemaName, value)) return { value, at };
  // Invalid: the full check lists every problem, each placed at its line and column.
  const result = validate(schemaName, value);
  const issues = describeSchemaErrors(schemaName, value, result.ok ? [] : result.errors, opts).map((p) => ({
    ...at(p.segments, p.message),
    ...(p.bare ? { path: '' } : {}),
  }));
  issues.sort((a, b) => a.line - b.line || a.col - b.col);
  throw new ConfigFileError(issues);
}

/** Read and check a config file; an unreadable one is a UsageError naming the file. */
export function loadConfigFile<N extends MessageName>(
  path: string,
  displayName: string,
  schemaName: N,
  opts: ConfigFileOptions = {},
): ConfigFile<MessageOf<N>> {
  let text: string;
  try {
    text = readTextFile(path);
  } catch (err) {
    if (err instanceof TextFileTooLarge) {
      throw new ConfigFileError([{ file: displayName, line: 1, col: 1, path: '', message: err.message }]);
    }
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`${displayName}: cannot read file (${e.code ?? e.message})`);
  }
  return parseConfigFile(text, displayName, schemaName, opts);
}
