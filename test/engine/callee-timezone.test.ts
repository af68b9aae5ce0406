/**
 * Time zone of call times. The Custom API push page: call_start_time / call_end_time are "时区为客户
 * 所在地区时间" (the customer's region time); the Info Check call-completion page: "Time zone is in
 * account's time zone". Each push call is compared with the call-completion of the same call_id:
 * same instant, written in the callee's zone instead of the account's.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { messagesOf, simulate } from '../../src/engine/campaign.ts';
import type { CampaignEvent } from '../../src/engine/types.ts';
import type { ContactInput, Scenario } from '../../src/scenario/types.ts';
import { parseVendorTime } from '../../src/core/vendor-time.ts';
import { fixture, T0 } from './scenario-fixture.ts';

const HOUR = 3_600_000;

/** An Info Check campaign in a Mexico City account: one number per row, redials on. */
function infoCheck(
  rows: ContactInput[],
  callee_timezone?: string,
  timezone = 'America/Mexico_City',
): Scenario {
  const s = fixture({
    business: 'info_check',
    locale: 'es_MX',
    timezone,
    repeatNumber: 2,
    outcomes: { by_number: [{ normal: 2, answered: 1 }] },
  });
  s.contacts = { rows };
  if (callee_timezone !== undefined) s.templates[0]!.callee_timezone = callee_timezone;
  return s;
}

const row = (callee: string, case_id: string, timezone?: string): ContactInput => ({
  callee,
  case_id,
  ...(timezone !== undefined ? { timezone } : {}),
});

/** Vendor time text read as if UTC: the difference of two is the difference of their zones. */
const wall = (t: string): number => parseVendorTime(t, 'UTC')!;

interface Pair {
  /** push time − call-completion time of the same instant (ms). */
  start: number;
  end: number;
  /** push redial_call[].call_start_time − call-completion redail_call[].call_start_time. */
  redials: number[];
  push: { start: string; cc: string };
}

/** Per case_id: how far the push's times are from the call-completion's for the same call. */
function pairs(events: CampaignEvent[]): Map<string, Pair> {
  const cc = new Map(
    messagesOf(events, 'call-completion-info-check').map((m) => [m.payload.details[0]!.call_id, m.payload]),
  );
  const out = new Map<string, Pair>();
  for (const m of messagesOf(events, 'custom-api-node-push')) {
    const call = m.payload.call;
    const detail = cc.get(call.call_id)!.details[0]!;
    const ccRedials = new Map(detail.redail_call!.map((r) => [r.call_id, r.call_start_time]));
    out.set(m.payload.callee.case_id, {
      start: wall(call.call_start_time) - wall(detail.call_start_time),
      end: wall(call.call_end_time) - wall(detail.call_end_time),
      redials: call.redial_call!.map((r) => wall(r.call_start_time) - wall(ccRedials.get(r.call_id)!)),
      push: { start: call.call_start_time, cc: detail.call_start_time },
    });
  }
  return out;
}

/** Every push of the campaign is `offset` ahead of the account zone, redials included. */
function assertOffset(events: CampaignEvent[], offset: number, caseIds?: string[]): void {
  const all = pairs(events);
  const ids = caseIds ?? [...all.keys()];
  assert.ok(ids.length > 0);
  let redials = 0;
  for (const id of ids) {
    const p = all.get(id)!;
    assert.equal(p.start, offset, `${id} call_start_time ${p.push.start} vs ${p.push.cc}`);
    assert.equal(p.end, offset, `${id} call_end_time`);
    for (const r of p.redials) assert.equal(r, offset, `${id} redial_call[].call_start_time`);
    redials += p.redials.length;
  }
  if (caseIds === undefined) assert.ok(redials > 0, 'some pushes list earlier dials');
}

const CN = ['+8618717905721', '+8613800138000', '+8615912345678', '+8618612345678', '+8613912345678'];
const MX = ['+525512345678', '+525598765432', '+528112345678', '+523312345678'];

describe('time zone of call times', () => {
  it('+86 numbers in a Mexico City account: push in Asia/Shanghai (+14 h), call-completion in the account zone', () => {
    const events = simulate({ scenario: infoCheck(CN.map((n, i) => row(n, `CN${i}`))), startTime: T0 });
    // March 2024: Shanghai UTC+8, Mexico City UTC-6 (no DST since 2022).
    assertOffset(events, 14 * HOUR);
    // The call-completion times are the account's: the same as with callee_timezone: account.
    const ccOf = (ev: CampaignEvent[]) =>
      messagesOf(ev, 'call-completion-info-check').map((m) => JSON.stringify(m.payload));
    const account = simulate({
      scenario: infoCheck(
        CN.map((n, i) => row(n, `CN${i}`)),
        'account',
      ),
      startTime: T0,
    });
    assert.deepEqual(ccOf(events), ccOf(account));
    assertOffset(account, 0);
  });

  it('+52 numbers in a Jakarta account: push in America/Mexico_City (−13 h)', () => {
    const events = simulate({
      scenario: infoCheck(
        MX.map((n, i) => row(n, `MX${i}`)),
        undefined,
        'Asia/Jakarta',
      ),
      startTime: T0,
    });
    assertOffset(events, -13 * HOUR);
  });

  it('a template callee_timezone names the zone for every row', () => {
    const events = simulate({
      scenario: infoCheck(
        CN.map((n, i) => row(n, `CN${i}`)),
        'Asia/Kolkata',
      ),
      startTime: T0,
    });
    assertOffset(events, 11.5 * HOUR);
  });

  it("a scenario row's timezone wins over the template's", () => {
    const rows = [
      row(CN[0]!, 'auto'),
      row(CN[1]!, 'account', 'account'),
      row(CN[2]!, 'kolkata', 'Asia/Kolkata'),
      row(MX[0]!, 'auto-mx', 'auto'),
    ];
    const events = simulate({ scenario: infoCheck(rows, 'Asia/Manila'), startTime: T0 });
    assertOffset(events, 14 * HOUR, ['auto']); // the template's Manila (UTC+8)
    assertOffset(events, 0, ['account']);
    assertOffset(events, 11.5 * HOUR, ['kolkata']);
    assertOffset(events, 0, ['auto-mx']); // auto: +52 in a Mexico City account
  });

  it('a number with no country (non-geographic +800) uses the account zone', () => {
    const events = simulate({
      scenario: infoCheck([row('+80012345678', 'intl'), row('+8618717905721', 'cn')]),
      startTime: T0,
    });
    assertOffset(events, 0, ['intl']);
    assertOffset(events, 14 * HOUR, ['cn']);
  });

  it('is deterministic', () => {
    const scenario = infoCheck([...CN, ...MX].map((n, i) => row(n, `R${i}`)));
    const a = JSON.stringify(messagesOf(simulate({ scenario, startTime: T0 })));
    const b = JSON.stringify(messagesOf(simulate({ scenario, startTime: T0 })));
    assert.equal(a, b);
  });
});
