/**
 * Recording files: a real, playable WAV (RIFF, PCM 16-bit, 8 kHz mono, the telephony norm) made
 * deterministically from the call id, so the same call always yields the same bytes. The sound is
 * turn-taking "speech" — tone bursts for the robot and the callee at different pitches over a
 * little line noise — sized by the call's duration and capped so a recording stays small.
 */
import { deriveSeed } from '../core/random.ts';

export const SAMPLE_RATE = 8000;
/** Longest recording produced, in seconds (8 kHz x 2 bytes x 12 s = 192 KB). */
export const MAX_RECORDING_SECONDS = 12;

export interface WavOptions {
  /** Seeds the sound (the call id). */
  seedLabel: string;
  /** Call duration in seconds; the file lasts min(duration, cap) and at least one second. */
  durationSec: number;
  maxSeconds?: number;
}

/** 44-byte canonical RIFF/WAVE header for PCM. */
export function wavHeader(
  dataBytes: number,
  sampleRate = SAMPLE_RATE,
  channels = 1,
  bitsPerSample = 16,
): Buffer {
  const h = Buffer.alloc(44);
  const blockAlign = (channels * bitsPerSample) / 8;
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16); // fmt chunk size for PCM
  h.writeUInt16LE(1, 20); // audio format 1 = PCM
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * blockAlign, 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(bitsPerSample, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** xorshift32: a tiny seeded generator; the sound need not be faker-quality random. */
function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

export function generateWav(opts: WavOptions): Buffer {
  const cap = opts.maxSeconds ?? MAX_RECORDING_SECONDS;
  const seconds = Math.max(1, Math.min(cap, Math.round(opts.durationSec)));
  const samples = seconds * SAMPLE_RATE;
  const data = Buffer.alloc(samples * 2);
  const rand = xorshift(deriveSeed(0, opts.seedLabel));
  const robotHz = 180 + Math.floor(rand() * 60);
  const calleeHz = 110 + Math.floor(rand() * 50);
  let i = 0;
  let robotTurn = true;
  while (i < samples) {
    // One turn: 0.6–2.2 s of voice, then a 0.2–0.6 s pause.
    const voice = Math.floor((0.6 + rand() * 1.6) * SAMPLE_RATE);
    const pause = Math.floor((0.2 + rand() * 0.4) * SAMPLE_RATE);
    const hz = robotTurn ? robotHz : calleeHz;
    for (let n = 0; n < voice && i < samples; n++, i++) {
      const t = i / SAMPLE_RATE;
      // Syllable-rate amplitude wobble (4 Hz) and two harmonics make it read as voice-ish.
      const env = Math.sin((Math.PI * n) / voice) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t));
      const s =
        Math.sin(2 * Math.PI * hz * t) +
        0.5 * Math.sin(4 * Math.PI * hz * t) +
        0.25 * Math.sin(6 * Math.PI * hz * t);
      data.writeInt16LE(Math.round(env * s * 6000 + (rand() - 0.5) * 300), i * 2);
    }
    for (let n = 0; n < pause && i < samples; n++, i++)
      data.writeInt16LE(Math.round((rand() - 0.5) * 300), i * 2);
    robotTurn = !robotTurn;
  }
  return Buffer.concat([wavHeader(data.length), data]);
}
