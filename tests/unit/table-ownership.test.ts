import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceFiles, tableWrites } from '../helpers/source-scan.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The tables only `engine/` writes (docs/data.md): the API reads them for inboxes and views. */
const ENGINE_TABLES = ['tasks', 'history_events', 'timers', 'process_instances', 'incidents', 'process_messages', 'message_subscriptions'] as const;

describe('the engine owns its tables', () => {
  it('finds writes to an engine table however a module would phrase them, and not its reads', () => {
    // given sources that write the engine's tables in each way knex and SQL allow, and ones that only read them
    const writes = [
      "await trx('history_events').insert({ instance_id: id, type: 'x' });",
      "await trx('tasks')\n  .whereIn('instance_id', trx('dossiers').select('instance_id'))\n  .where({ status: 'open' })\n  .update({ overdue_at: null });",
      "await db('timers as t').where('t.id', id).del();",
      "await knex.insert(rows).into('incidents');",
      'await trx.raw(`update tasks t set overdue_at = ? where t.id = ?`, [now, id]);',
      "await db.raw('insert into history_events (type) values (?)', ['x']);",
      "await trx('process_instances').where({ id }).increment('version', 1);",
    ];
    const reads = [
      "const open = await db('tasks').where({ root_instance_id: id, status: 'open' }).pluck('id');",
      "await trx('dossiers').whereIn('instance_id', trx('tasks').select('instance_id').where({ status: 'open' })).update({ status: 'x' });",
      "// trx('tasks').update() is what the engine does\nconst n = await db('history_events').count();",
      "const rows = await db.raw('select * from tasks t join process_instances i on i.id = t.instance_id');",
    ];

    // when they are scanned
    const found = (source: string) => tableWrites('sample.ts', source, ENGINE_TABLES);

    // then every write is found and no read is
    for (const source of writes) expect(found(source), source).toHaveLength(1);
    for (const source of reads) expect(found(source), source).toEqual([]);
  });

  it('has no file outside engine/ that writes tasks, history events, timers, instances, incidents or messages', () => {
    // given every source of the API
    const files = sourceFiles(ROOT, 'api');
    expect(files.length).toBeGreaterThan(50);

    // when each is scanned for writes to the engine's tables
    const findings = files.flatMap((file) => tableWrites(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ENGINE_TABLES));

    // then there are none: a module asks the engine (markTasksOverdue, clearOverdue, recordHistory…)
    expect(findings.map((f) => `${f.file}:${f.line} ${f.text}`)).toEqual([]);
  });
});
