/**
 * Arrays for payloads, all of one V8 elements kind. An empty `[]` starts as an array of small
 * integers and only becomes a generic array once an object is pushed; a frozen or `map()`-made
 * array has yet another hidden class. The validator and JSON.stringify are compiled for the
 * array classes they have seen, and a payload whose `redial_call` or `asr_result` arrives in a
 * new class throws the optimised validator away (measured: validation 3-4x slower for the rest
 * of the process in about one run in three). Every payload array starts here instead.
 */
const SEED: unknown = Object.freeze({});

/** An empty array already of the generic (object) elements kind. */
export function list<T>(): T[] {
  const a: unknown[] = [SEED];
  a.pop(); // the kind stays: V8 never moves an array back to a narrower kind
  return a as T[];
}
