/** Number → country → zone: the E.164 calling code, shared codes by the number's plan, capitals. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CAPITAL_ZONES,
  countryOfNumber,
  isKnownZone,
  ZONELESS_COUNTRIES,
  zoneOfCountry,
  zoneOfNumber,
} from '../../src/core/callee-zone.ts';
import { countriesAndTimezones } from '../../src/core/lazy-packages.ts';

describe('callee zone', () => {
  const table: [string, string | undefined, string | undefined][] = [
    ['+6281234567890', 'ID', 'Asia/Jakarta'],
    ['+639171234567', 'PH', 'Asia/Manila'],
    ['+525512345678', 'MX', 'America/Mexico_City'],
    ['+919876543210', 'IN', 'Asia/Kolkata'],
    ['+8618717905721', 'CN', 'Asia/Shanghai'],
    ['+12125551234', 'US', 'America/New_York'],
    ['+14165551234', 'CA', 'America/Toronto'],
    ['+18765551234', 'JM', 'America/Jamaica'],
    ['+74951234567', 'RU', 'Europe/Moscow'],
    ['+77011234567', 'KZ', 'Asia/Almaty'],
    ['+5511987654321', 'BR', 'America/Sao_Paulo'],
    ['+61212345678', 'AU', 'Australia/Sydney'],
    ['+442079460000', 'GB', 'Europe/London'],
    ['+2348012345678', 'NG', 'Africa/Lagos'],
    // Masked (vendor examples), non-geographic, malformed: no country, the account zone applies.
    ['+861xxxxxxxx5721', undefined, undefined],
    ['+80012345678', undefined, undefined],
    ['6281234567890', undefined, undefined],
  ];
  for (const [number, country, zone] of table) {
    it(`${number} → ${country ?? 'none'} → ${zone ?? 'none'}`, () => {
      assert.equal(countryOfNumber(number), country);
      assert.equal(zoneOfNumber(number), zone);
    });
  }

  it('every country has one zone, a capital zone among its own, or is listed as zoneless', () => {
    for (const c of Object.values(countriesAndTimezones().getAllCountries())) {
      const zone = zoneOfCountry(c.id);
      if (ZONELESS_COUNTRIES.includes(c.id)) {
        assert.equal(zone, undefined, c.id);
        continue;
      }
      assert.ok(zone !== undefined, `${c.id} has zones ${c.timezones.join(', ')} but no capital zone`);
      assert.ok(
        (c.timezones as readonly string[]).includes(zone),
        `${c.id}: ${zone} is not one of its zones`,
      );
      assert.ok(isKnownZone(zone), `${c.id}: ${zone} unknown to Intl`);
    }
    for (const id of Object.keys(CAPITAL_ZONES)) {
      assert.ok(countriesAndTimezones().getCountry(id)!.timezones.length > 1, `${id} needs no capital entry`);
    }
  });
});
