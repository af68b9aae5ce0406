/**
 * Opaque cursors of the admin API's and the library's lists (emulator-defined). A list answers
 * newest first in pages; its `next` names where the following (older) page starts: the list it
 * belongs to, the state's generation (bumped by every reset, so a cursor from before one is
 * refused rather than pointing at other data) and a position. Clients pass it back unchanged
 * (`?cursor=`, or the library's `cursor`).
 */
import { VendorError } from './vendor-errors.ts';

export type CursorList = 'deliveries' | 'workflows' | 'requests';

/** Short tags keep the cursors short; the text is base64url so it is clearly not to be built. */
const TAGS: Record<CursorList, string> = { deliveries: 'd', workflows: 'w', requests: 'r' };

export function encodeCursor(list: CursorList, generation: number, position: number): string {
  return Buffer.from(`${TAGS[list]}1.${generation}.${position}`).toString('base64url');
}

/** The position a cursor names, or a 400 that says why it cannot be used. */
export function decodeCursor(list: CursorList, generation: number, cursor: string): number {
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString('latin1')
    : '';
  const m = /^([a-z])1\.(\d{1,15})\.(\d{1,15})$/.exec(text);
  if (!m || m[1] !== TAGS[list]) {
    throw new VendorError(
      'badRequest',
      `cursor "${cursor}" is not a cursor of this list: pass the "next" of a previous answer unchanged`,
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
