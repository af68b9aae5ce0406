/** "Did you mean …?" (src/core/suggest.ts, shared with the scenario and delivery checks). */
export { closest, didYouMean, editDistance } from '../core/suggest.ts';
