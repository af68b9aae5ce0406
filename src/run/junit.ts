/**
 * JUnit XML for CI dashboards (`run --junit file.xml`): one test case per expectation, failures
 * carrying the expectation's message; the delivery summary goes to <system-out>.
 */
import { writeFileSync } from 'node:fs';
import type { RunReport } from './report.ts';

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
  const failures = report.expectations.filter((e) => !e.ok).length;
  const suite = `airudder-emulator.${report.scenario}`;
  const cases = report.expectations.map((e) => {
    const message = `expected ${e.expected}, got ${e.actual}`;
    const open = `    <testcase classname="${escapeXml(suite)}" name="${escapeXml(e.name)}" time="0">`;
    if (e.ok) return `${open}</testcase>`;
    return `${open}\n      <failure message="${escapeXml(message)}" type="expectation">${escapeXml(message)}</failure>\n    </testcase>`;
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
    `<testsuites name="airudder-emulator" tests="${report.expectations.length}" failures="${failures}" time="${seconds}">`,
    `  <testsuite name="${escapeXml(suite)}" tests="${report.expectations.length}" failures="${failures}" errors="0" skipped="0" time="${seconds}" timestamp="${iso(report.start.wall)}">`,
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
