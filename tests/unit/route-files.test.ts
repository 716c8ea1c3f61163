import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { queriesIn, sourceFiles } from '../helpers/source-scan.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('route files hold no SQL (docs/data.md)', () => {
  it('finds a query however a route would phrase it, and not a repository call', () => {
    // given route code that queries directly, and route code that asks a repository
    const queries = [
      "const row = await app.db('dossiers').where({ id }).first();",
      "await trx('users').where({ id }).update({ status: 'disabled' });",
      "const rows = await db('units as u').select('u.*');",
      "query.select(app.db.raw('count(*) as n'));",
      "q.whereRaw('? = any(roles)', [role]);",
      'const { rows } = await pool.query(`select id from dossiers where applicant_id = $1`, [me]);',
    ];
    const calls = [
      'const d = await dossiers.get(request.params.id);',
      'await app.db.transaction((trx) => levels.replace(unitId, matterType, posts, trx));',
      "const names = request.body.roles.join('、');",
    ];

    // when they are scanned
    const found = (source: string) => queriesIn('sample.routes.ts', source);

    // then each query is found and no call is
    for (const source of queries) expect(found(source).length, source).toBeGreaterThan(0);
    for (const source of calls) expect(found(source), source).toEqual([]);
  });

  it('has every route handler call services and repositories instead of querying', () => {
    // given every route file of the modules
    const files = sourceFiles(ROOT, 'api/modules').filter((f) => f.endsWith('.routes.ts'));
    expect(files.length).toBeGreaterThan(20);

    // when each is scanned for queries
    const findings = files.flatMap((file) => queriesIn(file, fs.readFileSync(path.join(ROOT, file), 'utf8')));

    // then there are none
    expect(findings.map((f) => `${f.file}:${f.line} ${f.text}`)).toEqual([]);
  });
});
