/**
 * JUnit XML for CI dashboards (`run --junit file.xml`): one test case per callback type
 * (`delivery.<type>`: fails when any of its deliveries was not delivered, the message carrying the
 * first one's status, error and answer body), one per expectation, and `run` itself when the run
 * was stopped early; the delivery summary goes to <system-out>.
 */
import { writeFileSync } from 'node:fs';
import { describeFailure } from '../delivery/reachability.ts';
import type { RunReport, TypeFailures } from './report.ts';

interface Case {
  name: string;
  /** Failure message (one line) and detail, when it failed. */
  failure?: { message: string; detail: string; type: string };
}

/** One line: how many failed and how the first one's last attempt went. */
export function failureLine(f: TypeFailures): string {
  const a = f.first;
  const how =
    a.status !== undefined
      ? `HTTP ${a.status}`
      : a.error !== undefined
        ? describeFailure(a.error, a.message)
        : 'not attempted';
  const body = a.response !== undefined ? `, body: ${JSON.stringify(a.response)}` : '';
  return `${f.undelivered} of ${f.deliveries} not delivered; first: ${a.id} to ${a.url}, ${a.attempts} attempt(s), last: ${how}${body}`;
}

function typeCases(report: RunReport): Case[] {
  const failures = new Map(report.failures.map((f) => [f.type, f]));
  return Object.keys(report.summary.byType).map((type) => {
    const f = failures.get(type as TypeFailures['type']);
    if (!f) return { name: `delivery.${type}` };
    const detail = [failureLine(f), `request: POST ${f.first.url} ${f.first.request}`];
    if (f.first.response !== undefined) detail.push(`response: ${f.first.response}`);
    return {
      name: `delivery.${type}`,
      failure: { message: failureLine(f), detail: detail.join('\n'), type: 'delivery' },
    };
  });
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function escapeXml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // XML 1.0 cannot carry most control characters, even escaped.
      .replace(/[\p{Cc}]/gu, (c) => (c === '\n' || c === '\r' || c === '\t' ? c : ''))
  );
}

export function toJUnitXml(report: RunReport): string {
  const seconds = ((report.end.wall - report.start.wall) / 1000).toFixed(3);
  const suite = `airudder-emulator.${report.scenario}`;
  const all: Case[] = [
    ...(report.aborted !== undefined
      ? [
          {
            name: 'run',
            failure: {
              message: `aborted: ${report.aborted}`,
              detail: `aborted: ${report.aborted}`,
              type: 'aborted',
            },
          },
        ]
      : []),
    ...typeCases(report),
    ...report.expectations.map((e): Case => {
      const message = `expected ${e.expected}, got ${e.actual}`;
      return e.ok
        ? { name: e.name }
        : { name: e.name, failure: { message, detail: message, type: 'expectation' } };
    }),
  ];
  const failures = all.filter((c) => c.failure).length;
  const cases = all.map((c) => {
    const open = `    <testcase classname="${escapeXml(suite)}" name="${escapeXml(c.name)}" time="0">`;
    if (!c.failure) return `${open}</testcase>`;
    const f = c.failure;
    return `${open}\n      <failure message="${escapeXml(f.message)}" type="${f.type}">${escapeXml(f.detail)}</failure>\n    </testcase>`;
  });
  const s = report.summary;
  const lines = [
    `scenario ${report.scenario}, seed ${report.seed}, clock ${report.clock}`,
    `clock ${iso(report.start.clock)} .. ${iso(report.end.clock)}`,
    `deliveries ${s.deliveries}: delivered ${s.delivered}, exhausted ${s.exhausted}, attempts ${s.attempts}`,
    ...Object.entries(s.byType).map(
      ([type, t]) =>
        `  ${type}: ${t.deliveries} deliveries, ${t.delivered} delivered, ${t.exhausted} exhausted, ${t.attempts} attempts`,
    ),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="airudder-emulator" tests="${all.length}" failures="${failures}" time="${seconds}">`,
    `  <testsuite name="${escapeXml(suite)}" tests="${all.length}" failures="${failures}" errors="0" skipped="0" time="${seconds}" timestamp="${iso(report.start.wall)}">`,
    ...cases,
    `    <system-out>${escapeXml(lines.join('\n'))}</system-out>`,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export function writeJUnit(path: string, report: RunReport): void {
  writeFileSync(path, toJUnitXml(report));
}
