import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALLOWLIST_FILE, judge } from '../../scripts/npm-audit.ts';

// the shape `npm audit --json` reports (npm ≥ 7), trimmed to what the step reads
const report = {
  vulnerabilities: {
    'svg-captcha': { severity: 'high', via: ['opentype.js'] },
    'opentype.js': { severity: 'high', via: [{ source: 1100001, name: 'opentype.js', title: 'Prototype pollution', url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc', severity: 'high' }] },
    semver: { severity: 'moderate', via: [{ source: 1100002, name: 'semver', title: 'ReDoS', url: 'https://github.com/advisories/GHSA-dddd-eeee-ffff', severity: 'moderate' }] },
    'fast-xml': { severity: 'critical', via: [{ source: 1100003, name: 'fast-xml', title: 'Code execution', url: 'https://github.com/advisories/GHSA-gggg-hhhh-iiii', severity: 'critical' }] },
  },
};

describe('the npm audit step', () => {
  it('blocks a high or critical advisory the allow-list does not accept, once per advisory', () => {
    // given no accepted advisories
    // when the report is judged
    const { blocking } = judge(report, []);

    // then the high and the critical advisory block (not the moderate one, not the package that only depends on it twice)
    expect(blocking.map((f) => f.id).sort()).toEqual(['GHSA-aaaa-bbbb-cccc', 'GHSA-gggg-hhhh-iiii']);
  });

  it('lets an accepted advisory through and names accepted ones no longer reported', () => {
    // given the high advisory accepted with its reason, and one accepted long ago
    const allowed = [
      { id: 'GHSA-aaaa-bbbb-cccc', package: 'opentype.js', reason: '验证码只渲染内置字体，不解析外来字体文件' },
      { id: 'GHSA-zzzz-zzzz-zzzz', package: 'old', reason: '已升级' },
    ];

    // when the report is judged
    const { blocking, accepted, stale } = judge(report, allowed);

    // then only the critical one blocks, and the old entry is pointed out
    expect(blocking.map((f) => f.id)).toEqual(['GHSA-gggg-hhhh-iiii']);
    expect(accepted.map((f) => f.package)).toEqual(['opentype.js']);
    expect(stale.map((a) => a.id)).toEqual(['GHSA-zzzz-zzzz-zzzz']);
  });

  it('keeps an allow-list in which every entry says why it is accepted', () => {
    // when the repository's allow-list is read
    const { advisories } = JSON.parse(fs.readFileSync(ALLOWLIST_FILE, 'utf8')) as { advisories: Array<{ id: string; package: string; reason: string }> };

    // then each entry names an advisory, a package and a reason
    for (const a of advisories) expect(a.id && a.package && a.reason.trim().length > 0).toBeTruthy();
  });
});
