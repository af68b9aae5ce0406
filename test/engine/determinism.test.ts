/** Same scenario + seed + start time ⇒ byte-identical events; another seed ⇒ other data. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { messagesOf, simulate } from '../../src/engine/campaign.ts';
import { generateContacts } from '../../src/engine/contacts.ts';
import { localeText, Rng } from '../../src/engine/rng.ts';
import { profileFor } from '../../src/engine/locale-profile.ts';
import { createTimeFormatter } from '../../src/engine/time-format.ts';
import { fixture, T0 } from './scenario-fixture.ts';

describe('determinism', () => {
  for (const business of ['collection', 'telemarketing', 'ecommerce', 'info_check'] as const) {
    it(`two runs give byte-identical events (${business})`, () => {
      const scenario = fixture({ business, count: 150, numbers: { min: 1, max: 2 } });
      const a = JSON.stringify(simulate({ scenario, startTime: T0 }));
      const b = JSON.stringify(simulate({ scenario, startTime: T0 }));
      assert.equal(a, b);
    });
  }

  it('a different seed gives different data', () => {
    const scenario = fixture({ count: 50 });
    const a = JSON.stringify(simulate({ scenario, startTime: T0, seed: 1 }));
    const b = JSON.stringify(simulate({ scenario, startTime: T0, seed: 2 }));
    assert.notEqual(a, b);
  });

  it('a different start time moves the times', () => {
    const scenario = fixture({ count: 5 });
    const a = simulate({ scenario, startTime: T0 });
    const b = simulate({ scenario, startTime: T0 + 3_600_000 });
    assert.equal(b[b.length - 1]!.at - a[a.length - 1]!.at, 3_600_000);
  });

  it('appending rows does not change earlier rows', () => {
    const scenario = fixture({ count: 1 });
    const ctx = {
      rng: new Rng(9),
      text: localeText('id_ID'),
      seed: 9,
      business: 'collection' as const,
      profile: profileFor('id_ID'),
      currency: 'IDR',
      startTime: T0,
      fmt: createTimeFormatter('Asia/Jakarta'),
    };
    const few = generateContacts({ count: 20 }, ctx);
    const many = generateContacts({ count: 40 }, ctx);
    assert.deepEqual(many.slice(0, 20), few);
    const callbacks = (rows: typeof few) =>
      messagesOf(simulate({ scenario, startTime: T0, contacts: rows }), 'call-completion')
        .map((m) => m.payload.details[0]!)
        .filter((d) => few.some((r) => r.case_id === d.CaseID));
    assert.deepEqual(callbacks(many), callbacks(few));
  });

  it('ids are vendor-shaped and unique', () => {
    const scenario = fixture({
      count: 300,
      numbers: { min: 1, max: 3 },
      outcomes: { dial: { answered: 1, normal: 2 } },
    });
    const events = simulate({ scenario, startTime: T0 });
    const callIds = events.filter((e) => e.kind === 'dial.finished').map((e) => e.callId);
    assert.equal(new Set(callIds).size, callIds.length);
    for (const id of callIds) assert.match(id, /^[0-9a-f]{32}$/);
    const ic = simulate({ scenario: fixture({ business: 'info_check', count: 20 }), startTime: T0 });
    for (const e of ic.filter((x) => x.kind === 'dial.finished')) assert.match(e.callId, /^ic[0-9a-f]{30}$/);
    const msgIds = messagesOf(events).map((m) => m.id);
    assert.equal(new Set(msgIds).size, msgIds.length);
  });
});
