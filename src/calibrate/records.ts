/**
 * Recorded callbacks as text → JSON values, each with where it came from. A file is JSON (one
 * message or an array of them) or JSON Lines (one message a line); the format follows the file
 * name (.jsonl / .ndjson are JSON Lines), and a file of another name that is not one JSON value but
 * whose lines are is read as JSON Lines. Pure: the command reads the files.
 */
import { parseJson } from '../contract/parse-json.ts';

/** One recorded message and where it is: `file`, `file[3]` (array item) or `file:12` (line). */
export interface Recorded {
  where: string;
  value: unknown;
}

/** A part of the input that cannot be used, and why. */
export interface InputProblem {
  where: string;
  message: string;
}

export interface ParsedFile {
  records: Recorded[];
  problems: InputProblem[];
}

const isLines = (file: string): boolean => /\.(jsonl|ndjson)$/i.test(file);

/** The messages of one file's text (`file` names it in every location). */
export function parseRecordedText(file: string, text: string): ParsedFile {
  if (text.trim() === '') return { records: [], problems: [{ where: file, message: 'empty file' }] };
  if (isLines(file)) return parseLines(file, text);
  const whole = parseJson(text);
  if (whole.ok) return { records: itemsOf(file, whole.value), problems: [] };
  const lines = parseLines(file, text);
  // Several parsable lines: JSON Lines under another name. Otherwise the JSON error says most.
  if (lines.records.length > 1) return lines;
  return {
    records: [],
    problems: [{ where: `${file}:${whole.line}:${whole.column}`, message: `invalid JSON: ${whole.message}` }],
  };
}

function itemsOf(file: string, value: unknown): Recorded[] {
  if (!Array.isArray(value)) return [{ where: file, value }];
  return value.map((v, i) => ({ where: `${file}[${i}]`, value: v }));
}

function parseLines(file: string, text: string): ParsedFile {
  const records: Recorded[] = [];
  const problems: InputProblem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const where = `${file}:${i + 1}`;
    const parsed = parseJson(line);
    if (parsed.ok) records.push({ where, value: parsed.value });
    else problems.push({ where, message: `invalid JSON at column ${parsed.column}: ${parsed.message}` });
  }
  if (records.length === 0 && problems.length === 0) problems.push({ where: file, message: 'empty file' });
  return { records, problems };
}
