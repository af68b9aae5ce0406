/**
 * The words of an option check, shared by the CLI flags (`--seed`, `--target`…) and the library's
 * options (`seed`, `target`…), so a bad value reads the same from every surface.
 */

/** A value as a message shows it: strings quoted, numbers as they print (NaN too). */
export const shown = (v: unknown): string =>
  typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v));

/** Unless `v` is a safe integer in [min, max]: `<name> must be an integer from … (got …)`. */
export function integerProblem(name: string, v: unknown, min: number, max: number): string | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max) return undefined;
  return `${name} must be an integer from ${min} to ${max} (got ${shown(v)})`;
}

/** Unless `v` is an absolute http(s) URL: `<name> must be an http(s) URL (got …)`. */
export function httpUrlProblem(name: string, v: unknown): string | undefined {
  let protocol = '';
  try {
    protocol = new URL(String(v)).protocol;
  } catch {
    // not a URL at all: same message
  }
  if (typeof v === 'string' && (protocol === 'http:' || protocol === 'https:')) return undefined;
  return `${name} must be an http(s) URL (got ${shown(v)})`;
}

/** A Host name an admin-API allow list may hold: a name, an IPv4 / [IPv6] address, or `*`; a port is ignored. */
export function isAllowedHostName(v: unknown): boolean {
  return typeof v === 'string' && /^(\*|\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d+)?$/i.test(v);
}
