/**
 * The schema names that have a generated type, and that type: what `isValid` narrows a value to,
 * what the engine's payload builders return and what a delivery carries. The map is
 * `MessageTypes` of src/generated/types.ts (generated from schemas/), so a name and its type
 * cannot drift apart. `scenario` is not in it: its type is the scenario layer's own.
 */
import type { MessageTypes } from '../generated/types.ts';

/** A schema name in schemas/ with a generated type (`custom-api-node-push`, `list-item`, …). */
export type MessageName = keyof MessageTypes;

/** The generated type of the message schema `N`. */
export type MessageOf<N extends MessageName> = MessageTypes[N];
