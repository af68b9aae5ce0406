/**
 * The recording files that `record_url` links point to: a generated WAV per answered dial
 * (src/audio/wav.ts). Public like a vendor's storage link — the integrator's app downloads it
 * without a token — and emulator-defined (the vendor's links point at its own storage).
 */
import { generateWav } from '../../audio/wav.ts';
import type { MemoryStore } from '../../store/memory-store.ts';
import { findDial } from '../../store/views.ts';
import { VendorError } from '../../core/vendor-errors.ts';
import { RAW, route, type VendorRoute } from '../route-table.ts';
import { RECORDING_PATH } from './query-routes.ts';

export function recordingRoute(store: MemoryStore): VendorRoute {
  return route({
    method: 'GET',
    path: `${RECORDING_PATH}/:file`,
    summary: 'Recording file (WAV) behind record_url',
    fidelity: 'emulator-defined',
    note: 'the vendor links to its own storage; the emulator serves a generated 8 kHz mono WAV',
    auth: false,
    handle: ({ req, res }) => {
      const file = String(req.params.file);
      const callId = file.endsWith('.wav') ? file.slice(0, -4) : file;
      const dial = findDial(store, callId, () => '');
      if (!dial?.recorded) throw new VendorError('fileNotFound', `no recording ${file}`);
      const wav = generateWav({ seedLabel: callId, durationSec: dial.duration });
      res
        .status(200)
        .type('audio/wav')
        .setHeader('Content-Disposition', `inline; filename="${callId}.wav"`)
        .send(wav);
      return RAW;
    },
  });
}
