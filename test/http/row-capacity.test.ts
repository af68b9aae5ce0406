/**
 * How many list rows a workflow takes: 10,000 by default (createinstance and uploaddetails
 * together), `maxRowsPerWorkflow` to change it; one row too many is a 400 in the vendor's envelope
 * naming both counts, and changes nothing. Bad option values are refused before anything starts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { createEmulator, buildEmulator, type Emulator } from '../../src/server/emulator.ts';
import { RunConfigError } from '../../src/delivery/scenario-config.ts';
import { COLLECTION_TEMPLATE, END_TIME, startEmulator, tokenFor } from './fixture.ts';

const W = '/service/cloud/workflow';

const many = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    callee: `+6281${String(from + i).padStart(8, '0')}`,
    case_id: `R-${from + i}`,
  }));

async function create(emu: Emulator, token: string, details: object[]) {
  return request(emu.url)
    .post(`${W}/createinstance`)
    .set('Authorization', `Token ${token}`)
    .send({ workflow_template_id: COLLECTION_TEMPLATE, name: 'cap', end_time: END_TIME, details });
}

async function upload(emu: Emulator, token: string, workflowId: string, details: object[]) {
  return request(emu.url)
    .post(`${W}/uploaddetails`)
    .set('Authorization', `Token ${token}`)
    .send({ workflow_id: workflowId, details });
}

const rowsOf = (emu: Emulator, id: string) => emu.store.rowsOf(id).length;

describe('rows per workflow', () => {
  it('takes 10,000 rows by default; one more is a 400 naming both counts, and changes nothing', async () => {
    const emu = await startEmulator();
    try {
      const token = await tokenFor(emu);
      const full = await create(emu, token, many(10_000));
      assert.equal(full.status, 200, JSON.stringify(full.body));
      const id = full.body.data.workflow_id as string;
      assert.equal(rowsOf(emu, id), 10_000);

      const over = await upload(emu, token, id, many(1, 10_000));
      assert.equal(over.status, 400);
      assert.equal(over.body.code, 400);
      assert.equal(
        over.body.message,
        'a workflow takes at most 10000 list rows (it has 10000, 1 more were sent)',
      );
      assert.equal(rowsOf(emu, id), 10_000);

      const before = emu.store.listWorkflows().length;
      const tooMany = await create(emu, token, many(10_001));
      assert.equal(tooMany.status, 400);
      assert.equal(
        tooMany.body.message,
        'a workflow takes at most 10000 list rows (it has 0, 10001 more were sent)',
      );
      assert.equal(emu.store.listWorkflows().length, before, 'no workflow was made');
    } finally {
      await emu.close();
    }
  });

  it('maxRowsPerWorkflow lowers the limit, counting createinstance and uploaddetails together', async () => {
    const emu = await startEmulator({ maxRowsPerWorkflow: 3 });
    try {
      const token = await tokenFor(emu);
      const made = await create(emu, token, many(2));
      const id = made.body.data.workflow_id as string;
      assert.equal((await upload(emu, token, id, many(1, 2))).status, 200);
      const over = await upload(emu, token, id, many(2, 3));
      assert.equal(over.status, 400);
      assert.match(
        over.body.message,
        /^a workflow takes at most 3 list rows \(it has 3, 2 more were sent\)$/,
      );
      assert.equal(rowsOf(emu, id), 3);
      assert.equal((await create(emu, token, many(4))).status, 400);
    } finally {
      await emu.close();
    }
  });

  it('maxRowsPerWorkflow raises it', async () => {
    const emu = await startEmulator({ maxRowsPerWorkflow: 20_000 });
    try {
      const token = await tokenFor(emu);
      const made = await create(emu, token, many(15_000));
      assert.equal(made.status, 200, JSON.stringify(made.body));
      const id = made.body.data.workflow_id as string;
      assert.equal((await upload(emu, token, id, many(5_000, 15_000))).status, 200);
      assert.equal(rowsOf(emu, id), 20_000);
      assert.equal((await upload(emu, token, id, many(1, 20_000))).status, 400);
    } finally {
      await emu.close();
    }
  });

  it('a bad maxRowsPerWorkflow is refused with its name, before anything is built', () => {
    for (const bad of [0, -1, 1.5, '5', 1_000_001, null]) {
      assert.throws(
        () => buildEmulator({ maxRowsPerWorkflow: bad as number, scenarios: [] }),
        (err: unknown) =>
          err instanceof RunConfigError &&
          /^maxRowsPerWorkflow must be an integer from 1 to 1000000 \(got .+\)$/.test(err.message),
        String(bad),
      );
    }
  });

  it('createEmulator takes the largest value', async () => {
    const emu = await createEmulator({ maxRowsPerWorkflow: 1_000_000, scenarios: [] });
    await emu.close();
  });
});
