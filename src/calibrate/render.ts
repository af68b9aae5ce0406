/** A fitted scenario as YAML: the header comment block, then the scenario (small maps inline). */
import { yaml } from '../core/lazy-packages.ts';
import type { Scenario } from '../scenario/types.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Seconds (vendor time read as UTC) → "11 Mar 2024 09:00": minutes only, and not the vendor's
 * own "YYYY-MM-DD" spelling, so no recorded date value is reprinted as is.
 */
export function humanTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${hh}:${mm}`;
}

/** Maps whose values are all numbers (weights, buckets) and intentions' own lines print inline. */
function inline(node: unknown): boolean {
  const Y = yaml();
  if (!Y.isMap(node)) return false;
  return node.items.every((p) => Y.isScalar(p.value) && typeof p.value.value === 'number');
}

export function renderScenario(header: string[], scenario: Scenario): string {
  const Y = yaml();
  const doc = new Y.Document(scenario);
  Y.visit(doc, {
    Map(_, node) {
      if (inline(node)) node.flow = true;
    },
  });
  const comment = header.map((l) => `# ${l}`.trimEnd()).join('\n');
  return `${comment}\n${doc.toString({ lineWidth: 0 })}`;
}
