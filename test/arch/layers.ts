/** The layer order of src/ (docs/design.md, "Layers"), shared by the import rules and the walk test. */
/**
 * Lowest first. Each entry is a folder of src/ or a file at its root; a module may import from its
 * own entry and from entries above it in this list, never from one below.
 */
export const LAYERS: readonly string[] = [
  'assets.ts', // where the package's files are; imports nothing
  'generated', // generated types, precompiled validators, scenario cache
  'contract', // schema registry, callback names, OpenAPI, message detection
  'core', // ids, vendor time, seeded random, signing, AES, retry policy, vendor errors, accounts
  'audio', // WAV synthesis for recordings
  'scenario', // scenario YAML: types, loading, validation
  'engine', // the pure campaign simulation and payload builders
  'clock', // real, scaled and virtual clocks
  'delivery', // callback delivery: the service, sender, retry, signing, chaos, settings
  'store', // in-memory state and journal
  'emulation', // the one core: catalog, campaign driver, workflow commands, delivery routing
  'run', // the `run` application: scenario → core → report (JSON, JUnit), progress, loopback sink
  'http', // express apps and routes over the core's service interfaces
  'server', // `serve` and createEmulator: core + HTTP + journal, the composition root
  'verify', // the contract verification pack
  'calibrate', // recorded callbacks → a fitted scenario and the drift report (pure; the command reads files)
  'cli', // commands
  'receiver.ts', // entry: the consumer-side receiver helpers
  'index.ts', // entry: the library API
];
