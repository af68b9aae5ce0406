/**
 * The Info Check example prints question_content with literal "\uXXXX" sequences (a backslash
 * and "u" in the decoded string: "\\u610f\\u613f\\u786e\\u8ba4 Willingness Check" in the JSON).
 * The emulator reproduces that by default; `questionContentEscape: false` sends plain UTF-8.
 */
export function toUnicodeEscapes(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c < 0x80 ? text[i] : `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return out;
}
