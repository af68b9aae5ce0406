/**
 * `airudder-emulator schemas [--list] [--out <dir>] [--openapi <file>]`: list the vendor message
 * schemas, copy them out as they are, and write an OpenAPI 3.1 document of the emulated API with
 * the callbacks as `webhooks`. Without options it lists. Exit 0 on success, 2 on a usage error or
 * a file that cannot be written.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify as toYaml } from 'yaml';
import { buildOpenApi, summarizeSchemas } from '../../contract/openapi.ts';
import { PACKAGE_JSON, SCHEMA_DIR } from '../../assets.ts';
import { schemas } from '../../contract/registry.ts';
import { documentedRoutes } from '../../http/documented-routes.ts';

export const SCHEMAS_USAGE = `Usage: airudder-emulator schemas [--list] [--out <dir>] [--openapi <file>]

Lists the JSON Schemas (draft 2020-12) of every AIRUDDER message, exports them, and writes an
OpenAPI 3.1 document of the emulated API (paths under /service/cloud/..., callbacks as webhooks).

Options:
  --list              name, title, fidelity mark and one-line description of each schema
                      (the default when no option is given)
  --out <dir>         copy every schemas/*.schema.json into <dir> (created if missing)
  --openapi <file>    write the OpenAPI 3.1 document: YAML when <file> ends .yaml/.yml, else JSON;
                      "-" writes JSON to stdout
  -h, --help          this text

Exit code: 0 done, 2 usage error or a file that cannot be written.
`;

function usageError(message: string): number {
  process.stderr.write(`airudder-emulator schemas: ${message}\n\n${SCHEMAS_USAGE}`);
  return 2;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;
}

function listText(): string {
  const rows = summarizeSchemas(schemas());
  const w = (k: 'name' | 'title' | 'fidelity') => Math.max(...rows.map((r) => r[k].length));
  const [wn, wt, wf] = [w('name'), w('title'), w('fidelity')];
  return rows
    .map((r) => `${r.name.padEnd(wn)}  ${r.title.padEnd(wt)}  ${r.fidelity.padEnd(wf)}  ${r.description}`)
    .join('\n')
    .concat('\n');
}

function writeSchemas(dir: string): number {
  mkdirSync(dir, { recursive: true });
  const names = schemas().names();
  // Byte-for-byte copies: the files are the contract, with their $ids and examples.
  for (const name of names)
    copyFileSync(join(SCHEMA_DIR, `${name}.schema.json`), join(dir, `${name}.schema.json`));
  return names.length;
}

function openApiText(file: string): string {
  const doc = buildOpenApi({ registry: schemas(), routes: documentedRoutes(), version: packageVersion() });
  // aliasDuplicateObjects off: YAML anchors would surprise OpenAPI tools and diff badly.
  if (/\.ya?ml$/i.test(file)) return toYaml(doc, { aliasDuplicateObjects: false, lineWidth: 0 });
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export async function run(argv: string[]): Promise<number> {
  let values: { list?: boolean; out?: string; openapi?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        list: { type: 'boolean' },
        out: { type: 'string' },
        openapi: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return usageError((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(SCHEMAS_USAGE);
    return 0;
  }
  if (values.out === '') return usageError('--out needs a directory');
  if (values.openapi === '') return usageError('--openapi needs a file name');
  const nothingAsked = values.out === undefined && values.openapi === undefined;

  if (values.list || nothingAsked) process.stdout.write(listText());
  if (nothingAsked && !values.list) {
    process.stdout.write(
      '\nExport them with --out <dir>, or an OpenAPI 3.1 document with --openapi <file>.\n',
    );
  }
  try {
    if (values.out !== undefined) {
      const n = writeSchemas(values.out);
      process.stderr.write(`wrote ${n} schemas to ${values.out}\n`);
    }
    if (values.openapi !== undefined) {
      const text = openApiText(values.openapi);
      if (values.openapi === '-') process.stdout.write(text);
      else {
        mkdirSync(dirname(values.openapi), { recursive: true });
        writeFileSync(values.openapi, text);
        process.stderr.write(`wrote OpenAPI 3.1 document to ${values.openapi}\n`);
      }
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    process.stderr.write(`airudder-emulator schemas: cannot write: ${e.code ?? ''} ${e.message}\n`);
    return 2;
  }
  return 0;
}
