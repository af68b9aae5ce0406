/**
 * Opaque cursors of the admin API's and the library's lists (emulator-defined). A list answers
 * newest first in pages; its `next` names where the following (older) page starts: the list it
 * belongs to, the state's generation (bumped by every reset, so a cursor from before one is
 * refused rather than pointing at other data) and a position. Clients pass it back unchanged
 * (`?cursor=`, or the library's `cursor`).
 */
import { VendorError } from './vendor-errors.ts';

export type CursorList = 'deliveries' | 'workflows' | 'requests' | 'contacts' | 'calls';

/** Short tags keep the cursors short; the text is base64url so it is clearly not to be built. */
const TAGS: Record<CursorList, string> = {
  deliveries: 'd',
  workflows: 'w',
  requests: 'r',
  contacts: 'c',
  calls: 'k',
};

/**
 * `scope` names whose list it is when there is one per owner (a workflow's contacts): kept as a
 * short hash, so a cursor of one workflow's list is refused by another's.
 */
export function encodeCursor(list: CursorList, generation: number, position: number, scope?: string): string {
  const owner = scope === undefined ? '' : `.${scopeHash(scope)}`;
  return Buffer.from(`${TAGS[list]}1.${generation}.${position}${owner}`).toString('base64url');
}

/** The position a cursor names, or a 400 that says why it cannot be used. */
export function decodeCursor(list: CursorList, generation: number, cursor: string, scope?: string): number {
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString('latin1')
    : '';
  const m = /^([a-z])1\.(\d{1,15})\.(\d{1,15})(?:\.([0-9a-z]{1,7}))?$/.exec(text);
  if (!m || m[1] !== TAGS[list] || (m[4] === undefined) !== (scope === undefined)) {
    throw new VendorError(
      'badRequest',
      `cursor "${cursor}" is not a cursor of this list: pass the "next" of a previous answer unchanged`,
    );
  }
  if (scope !== undefined && m[4] !== scopeHash(scope)) {
    throw new VendorError(
      'badRequest',
      `cursor "${cursor}" belongs to another workflow's list: pass the "next" of this list's previous answer`,
    );
  }
  if (Number(m[2]) !== generation) {
    throw new VendorError(
      'badRequest',
      `cursor "${cursor}" was given before the emulator was reset: start again without a cursor`,
    );
  }
  return Number(m[3]);
}

/** FNV-1a of the owner's id, base 36 (at most 7 characters). */
function scopeHash(scope: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < scope.length; i++) h = Math.imul(h ^ scope.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}
