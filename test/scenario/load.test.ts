/** Scenario files: schema + semantic checks, errors as file:line:col with the offending key. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkScenario, formatIssue, parseScenario, ScenarioError } from '../../src/scenario/load.ts';

const GOOD = `name: tiny
seed: 1
account:
  timezone: Asia/Jakarta
  locale: id_ID
templates:
  - id: t1
    business: collection
    nodes:
      - type: voicebot_call
        robot_id: "4496"
        sip_line: LINE
        repeat_number: 2
        repeat_interval: 5
      - type: api
        name: API2
    callbacks:
      call-completion:
        url: http://127.0.0.1:4010/__emulator/sink/tiny
contacts:
  generate:
    count: 3
`;

function errors(text: string): string[] {
  const r = checkScenario(text, 'scenarios/x.yaml');
  assert.equal(r.ok, false, 'expected errors');
  return r.ok ? [] : r.issues.map(formatIssue);
}

const swap = (from: string, to: string): string => {
  assert.ok(GOOD.includes(from));
  return GOOD.replace(from, to);
};

describe('scenario loading', () => {
  it('accepts a valid file and defaults nothing silently', () => {
    const s = parseScenario(GOOD, 'scenarios/tiny.yaml');
    assert.equal(s.templates[0]!.nodes.length, 2);
    assert.equal(s.seed, 1);
  });

  const table: [string, string, string][] = [
    [
      'a wrong type names the key at its line:col',
      swap('repeat_number: 2', 'repeat_number: 2.5'),
      'scenarios/x.yaml:13:9: templates[0].nodes[0].repeat_number must be integer',
    ],
    [
      'an unknown key is rejected',
      swap('  locale: id_ID', '  locale: id_ID\n  currncy: IDR'),
      'scenarios/x.yaml:6:3: unknown key "currncy" in account (did you mean currency?)',
    ],
    [
      'a missing key points at its mapping',
      swap('        sip_line: LINE\n', ''),
      'scenarios/x.yaml:10:9: templates[0].nodes[0].sip_line is required (missing property "sip_line")',
    ],
    [
      'an enum value',
      swap('business: collection', 'business: collections'),
      'scenarios/x.yaml:8:5: templates[0].business must be one of "collection", "telemarketing", "ecommerce", "info_check"',
    ],
    [
      'a pacing mode that is not queue or pause',
      swap('templates:\n', 'pacing:\n  closed_window: wait\ntemplates:\n'),
      'scenarios/x.yaml:7:3: pacing.closed_window must be one of "queue", "pause"',
    ],
    [
      'an unknown callback type',
      swap('      call-completion:', '      call-complete:'),
      'scenarios/x.yaml:18:7: unknown key "call-complete" in templates[0].callbacks (did you mean call-completion?)',
    ],
    [
      'an unknown node type',
      swap('type: api', 'type: sms'),
      'scenarios/x.yaml:15:9: templates[0].nodes[1].type must be one of "voicebot_call", "api"',
    ],
    [
      'a number instead of a string (robot_id unquoted)',
      swap('robot_id: "4496"', 'robot_id: 4496'),
      'scenarios/x.yaml:11:9: templates[0].nodes[0].robot_id must be string',
    ],
    [
      'a bad cron expression',
      swap('repeat_interval: 5', 'repeat_interval: 5\n        calling_window: "* 25 * * *"'),
      'scenarios/x.yaml:15:9: templates[0].nodes[0].calling_window is not a valid node-cron expression',
    ],
    [
      'an unknown time zone',
      swap('Asia/Jakarta', 'Asia/Atlantis'),
      'scenarios/x.yaml:4:3: account.timezone is not a known IANA time zone',
    ],
    [
      'an unknown callee_timezone on a template',
      swap('    business: collection', '    business: collection\n    callee_timezone: Asia/Atlantis'),
      'scenarios/x.yaml:9:5: templates[0].callee_timezone is not auto, account or a known IANA time zone ("Asia/Atlantis")',
    ],
    [
      'an unknown timezone on a scenario row',
      swap('contacts:\n', 'contacts:\n  rows:\n    - callee: "+6281234567890"\n      timezone: Jakarta\n'),
      'scenarios/x.yaml:23:7: contacts.rows[0].timezone is not auto, account or a known IANA time zone ("Jakarta")',
    ],
    [
      'a range with min > max',
      swap('    count: 3', '    count: 3\n    borrowed_amount: { min: 5, max: 1 }'),
      'scenarios/x.yaml:23:5: contacts.generate.borrowed_amount min (5) must not exceed max (1)',
    ],
    [
      'the Info Check callback on a collection template',
      swap('      call-completion:', '      call-completion-info-check:'),
      'templates[0].callbacks.call-completion-info-check is only sent by info_check templates',
    ],
    [
      'an api node before any call node',
      swap('      - type: voicebot_call', '      - type: api\n      - type: voicebot_call'),
      'scenarios/x.yaml:10:9: templates[0].nodes[0] an api node must come after a voicebot_call node',
    ],
  ];
  for (const [name, text, expected] of table) {
    it(name, () => {
      const list = errors(text);
      assert.ok(
        list.some((e) => e.startsWith(expected) || e.includes(expected)),
        `got:\n${list.join('\n')}`,
      );
    });
  }

  it('accepts pacing.closed_window queue and pause', () => {
    for (const mode of ['queue', 'pause'] as const) {
      const s = parseScenario(
        swap('templates:\n', `pacing:\n  closed_window: ${mode}\ntemplates:\n`),
        'p.yaml',
      );
      assert.deepEqual(s.pacing, { closed_window: mode });
    }
  });

  it('accepts auto, account and IANA zones as callee_timezone and row timezone', () => {
    const text = swap(
      '    business: collection',
      '    business: collection\n    callee_timezone: account',
    ).replace(
      'contacts:\n',
      'contacts:\n  rows:\n    - { callee: "+6281234567890", timezone: America/Mexico_City }\n    - { callee: "+6281234567891", timezone: auto }\n',
    );
    const s = parseScenario(text, 'scenarios/tz.yaml');
    assert.equal(s.templates[0]!.callee_timezone, 'account');
    assert.deepEqual(
      s.contacts.rows!.map((r) => r.timezone),
      ['America/Mexico_City', 'auto'],
    );
  });

  it('a range given as text says what it accepts', () => {
    const list = errors(swap('    count: 3', '    count: 3\n    interest: lots'));
    assert.deepEqual(list, ['scenarios/x.yaml:23:5: contacts.generate.interest must be number or object']);
  });

  it('YAML syntax errors carry line:col', () => {
    const list = errors('seed: 1\naccount:\n  timezone: [unclosed\n');
    assert.match(list[0]!, /^scenarios\/x\.yaml:\d+:\d+: YAML /);
    const dup = errors('seed: 1\nseed: 2\n');
    assert.match(dup[0]!, /^scenarios\/x\.yaml:2:1: YAML DUPLICATE_KEY/);
  });

  it('parseScenario throws a ScenarioError listing every issue', () => {
    const bad = swap('repeat_number: 2', 'repeat_number: -1').replace('  locale: id_ID', '  locale: xx_XX');
    assert.throws(
      () => parseScenario(bad, 'scenarios/x.yaml'),
      (e: unknown) =>
        e instanceof ScenarioError && e.issues.length === 2 && e.message.split('\n').length === 2,
    );
  });

  it('a top-level list is not a scenario', () => {
    assert.match(errors('- a\n- b\n')[0]!, /a scenario must be a YAML mapping/);
  });
});
