/**
 * Which clock a callee's call times are written in. The Custom API push page states
 * `call_start_time` / `call_end_time` are in the customer's region time ("时区为客户所在地区时间");
 * the Info Check call-completion page states its details are in the account's time zone. A
 * template's `callee_timezone` (and a scenario row's `timezone`, which wins) picks the push's zone:
 * `auto` (default) the zone of the dialled number's country (src/core/callee-zone.ts), `account`,
 * or an IANA zone. A number with no known zone uses the account's.
 */
import { zoneOfNumber } from '../core/callee-zone.ts';
import type { Contact } from './contacts.ts';
import { createTimeFormatter, type TimeFormatter } from './time-format.ts';

/** `auto`, `account` or an IANA zone (schemas/scenario.schema.json `calleeTimezone`). */
export type CalleeTimezone = string;

/** The formatter of a contact's call times when `number` was dialled. */
export type CalleeClock = (contact: Contact, number: string) => TimeFormatter;

export function createCalleeClock(rule: CalleeTimezone | undefined, account: TimeFormatter): CalleeClock {
  // One zone look-up per number and campaign (a number is dialled, and pushed, several times).
  const byNumber = new Map<string, TimeFormatter>();
  const auto = (number: string): TimeFormatter => {
    let f = byNumber.get(number);
    if (f === undefined) {
      // A cache, not a record: a large campaign dials a million numbers once or twice each.
      if (byNumber.size > 10_000) byNumber.clear();
      const zone = zoneOfNumber(number);
      f = zone === undefined ? account : createTimeFormatter(zone);
      byNumber.set(number, f);
    }
    return f;
  };
  const pick = (r: CalleeTimezone, number: string): TimeFormatter =>
    r === 'auto' ? auto(number) : r === 'account' ? account : createTimeFormatter(r);
  const templateRule = rule ?? 'auto';
  return (contact, number) => pick(contact.timezone ?? templateRule, number);
}
