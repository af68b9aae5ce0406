/**
 * `yaml`, `node-cron`, `croner` and the phone / time zone tables, required on first use instead of imported at module load:
 * serving the shipped scenarios (read from src/generated/scenarios.json, see src/scenario/load.ts)
 * needs none of them, and yaml and node-cron together are ~60 ms of start-up. All three ship CommonJS, so
 * `createRequire` loads them synchronously wherever they are first needed; the types still come
 * from the packages (`import type`). test/scenario/scenario-cache.test.ts checks that serving the
 * shipped scenarios loads neither yaml nor node-cron.
 */
import { createRequire } from 'node:module';
import type { Faker } from '@faker-js/faker';
import type * as Croner from 'croner';
import type NodeCron from 'node-cron';
import type * as Yaml from 'yaml';
import type * as CountriesAndTimezones from 'countries-and-timezones';
import type { MetadataJson } from 'libphonenumber-js/core';
import type * as PhoneNumbers from 'libphonenumber-js/min';

const require = createRequire(import.meta.url);

let yamlModule: typeof Yaml | undefined;
let cronModule: typeof NodeCron | undefined;
let cronerModule: typeof Croner | undefined;
let phoneModule: typeof PhoneNumbers | undefined;
let phoneMeta: MetadataJson | undefined;
let countriesModule: typeof CountriesAndTimezones | undefined;

/** The `yaml` package (loaded on the first call). */
export function yaml(): typeof Yaml {
  return (yamlModule ??= require('yaml') as typeof Yaml);
}

/** The `node-cron` package (loaded on the first call). */
export function nodeCron(): typeof NodeCron {
  return (cronModule ??= require('node-cron') as typeof NodeCron);
}

/**
 * A faker locale entry point (`@faker-js/faker/locale/<name>`): its prebuilt instance over the
 * locale and its fallbacks. faker's main entry point would load all ~70 locales; these are ES
 * modules, required synchronously (Node >= 20.19 requires ES modules without top-level await).
 */
export function fakerLocale(name: string): { faker: Faker } {
  return require(`@faker-js/faker/locale/${name}`) as { faker: Faker };
}

/** The `croner` package (loaded on the first call). */
export function croner(): typeof Croner {
  return (cronerModule ??= require('croner') as typeof Croner);
}

/**
 * libphonenumber-js's number parser (~50 ms to load): only numbers whose calling code several
 * countries share need it (src/core/callee-zone.ts).
 */
export function phoneNumbers(): typeof PhoneNumbers {
  return (phoneModule ??= require('libphonenumber-js/min') as typeof PhoneNumbers);
}

/** libphonenumber-js's metadata alone (calling code → countries; a few ms to load). */
export function phoneMetadata(): MetadataJson {
  return (phoneMeta ??= require('libphonenumber-js/metadata.min.json') as MetadataJson);
}

/** The `countries-and-timezones` package: a country's IANA zones. */
export function countriesAndTimezones(): typeof CountriesAndTimezones {
  return (countriesModule ??= require('countries-and-timezones') as typeof CountriesAndTimezones);
}
