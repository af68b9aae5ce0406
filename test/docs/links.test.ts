/**
 * Every relative link of README.md, docs/*.md and scenarios/README.md leads somewhere: the file exists and, with an
 * `#anchor`, one of its headings makes that anchor. Moving a section between docs breaks links
 * silently on GitHub; here it fails.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, it } from 'node:test';
import { anchors, docFiles, links, ROOT } from './markdown.ts';

describe('links in the docs', () => {
  for (const file of [...docFiles(), 'scenarios/README.md']) {
    it(`${file}: every relative link and anchor resolves`, () => {
      const broken: string[] = [];
      for (const target of links(file)) {
        if (/^[a-z]+:/i.test(target)) continue; // http(s), mailto
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const resolved = path === '' ? file : normalize(join(dirname(file), path));
        if (!existsSync(join(ROOT, resolved))) {
          broken.push(`${target}: no file ${resolved}`);
          continue;
        }
        if (anchor !== undefined && resolved.endsWith('.md') && !anchors(resolved).has(anchor)) {
          broken.push(`${target}: no heading in ${resolved} makes #${anchor}`);
        }
      }
      assert.deepEqual(broken, []);
    });
  }
});
