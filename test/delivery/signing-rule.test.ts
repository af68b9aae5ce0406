/**
 * Which callbacks carry the signature header. Only the call-completion pages ("KEY: the key used
 * for parameter signing", default airudder) and the chatbot page have a KEY; the push,
 * list-completion and status-change pages name none. So without a configured key only those three
 * types are signed (with `airudder`); a key configured on any callback, the push included, signs it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createVirtualClock } from '../../src/clock/virtual-clock.ts';
import { CALLBACK_TYPES, type CallbackPayload, type CallbackType } from '../../src/contract/callbacks.ts';
import { schemas } from '../../src/contract/registry.ts';
import { callbackSigningKey, verifySignature } from '../../src/core/signing.ts';
import { createDeliveryService, type DeliveryServiceOptions } from '../../src/delivery/delivery-service.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';

const T0 = Date.UTC(2024, 2, 11, 7, 58, 0);

/** The schema's own example of each callback (each validates against its schema). */
const example = (type: CallbackType): CallbackPayload =>
  structuredClone(schemas().schema(type).examples![0]) as CallbackPayload;

describe('which callbacks are signed', () => {
  let rx: Receiver;
  before(async () => {
    rx = await startReceiver();
  });
  after(() => rx.close());

  /** One delivery of every type (with `keys[type]` when given); the headers each request had. */
  async function sendAll(
    keys: Partial<Record<CallbackType, string>> = {},
    opts: Partial<DeliveryServiceOptions> = {},
  ) {
    rx.requests.length = 0;
    const service = createDeliveryService({ clock: createVirtualClock({ startTime: T0 }), ...opts });
    for (const type of CALLBACK_TYPES) {
      const key = keys[type];
      service.deliver({ id: type, type, url: rx.url, payload: example(type), ...(key ? { key } : {}) });
    }
    await service.settled();
    service.close();
    const byType = new Map(rx.requests.map((r) => [r.headers['x-emulator-delivery-id'] as string, r]));
    assert.equal(byType.size, CALLBACK_TYPES.length);
    return byType;
  }

  it('by default: call-completion, call-completion-info-check, chatbot-session-end, with airudder', async () => {
    const sent = await sendAll();
    const signed = CALLBACK_TYPES.filter((t) => sent.get(t)!.headers['x-airudder-sign'] !== undefined);
    assert.deepEqual(signed, ['call-completion-info-check', 'call-completion', 'chatbot-session-end']);
    for (const t of signed) {
      const r = sent.get(t)!;
      assert.ok(verifySignature(r.raw, r.headers, 'airudder'), t);
    }
  });

  it('a key configured on a push (or list / status notice) signs it with that key', async () => {
    const sent = await sendAll({
      'custom-api-node-push': 'push-key',
      'list-completion': 'list-key',
      'call-completion': 'cc-key',
    });
    const push = sent.get('custom-api-node-push')!;
    assert.ok(verifySignature(push.raw, push.headers, 'push-key'));
    const list = sent.get('list-completion')!;
    assert.ok(verifySignature(list.raw, list.headers, 'list-key'));
    const cc = sent.get('call-completion')!;
    assert.ok(verifySignature(cc.raw, cc.headers, 'cc-key'));
    assert.equal(sent.get('workflow-status-change')!.headers['x-airudder-sign'], undefined);
  });

  it('signing none sends no header on any type, and the record says which were signed', async () => {
    const none = await sendAll({ 'custom-api-node-push': 'push-key' }, { signing: 'none' });
    for (const t of CALLBACK_TYPES) assert.equal(none.get(t)!.headers['x-airudder-sign'], undefined, t);
    const service = createDeliveryService({ clock: createVirtualClock({ startTime: T0 }) });
    const push = service.deliver({
      type: 'custom-api-node-push',
      url: rx.url,
      payload: example('custom-api-node-push'),
    });
    const cc = service.deliver({ type: 'call-completion', url: rx.url, payload: example('call-completion') });
    await service.settled();
    service.close();
    assert.equal(push.signing, 'none');
    assert.equal(cc.signing, 'hmac-sha256');
  });

  it('callbackSigningKey: the rule in one place', () => {
    assert.deepEqual(
      CALLBACK_TYPES.map((t) => [t, callbackSigningKey(t, undefined), callbackSigningKey(t, 'k')]),
      [
        ['custom-api-node-push', undefined, 'k'],
        ['call-completion-info-check', 'airudder', 'k'],
        ['call-completion', 'airudder', 'k'],
        ['list-completion', undefined, 'k'],
        ['workflow-status-change', undefined, 'k'],
        ['chatbot-session-end', 'airudder', 'k'],
      ],
    );
  });
});
