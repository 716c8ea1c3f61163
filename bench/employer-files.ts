import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/** 单位公示: a period of 21 days ending today (Beijing time), which the employer's pass requires (≥ 5 working days, ended by the pass). */
export function publicityPeriod(now = new Date()): { publicityStart: string; publicityEnd: string } {
  const day = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  return { publicityStart: day(new Date(now.getTime() - 20 * 86_400_000)), publicityEnd: day(now) };
}

/**
 * The employer passes a dossier with its 公示期, 公示 proof and comprehensive recommendation, each a file
 * the employer's clerk uploaded for that dossier. Benchmarks seed them up front (one pair per
 * dossier) so that uploads are not part of what they measure.
 */
export async function seedEmployerFiles(db: Knex, username: string, count: number): Promise<Array<Record<string, unknown>>> {
  const user = await db('users').where({ username }).first('id');
  const content = Buffer.from('%PDF-1.4\n% 公示证明与综合推荐材料（基准测试）\n');
  const sha256 = createHash('sha256').update(content).digest('hex');
  await db('file_blobs').insert({ sha256, content, size: content.length }).onConflict('sha256').ignore();
  const out: Array<Record<string, unknown>> = [];
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < count; i++) {
    const ref = (name: string) => {
      const id = randomUUID();
      rows.push({ id, sha256, name, mime: 'application/pdf', size: content.length, uploaded_by: user.id });
      return { id, name, size: content.length, mime: 'application/pdf' };
    };
    out.push({ ...publicityPeriod(), publicityProof: [ref('公示证明.pdf')], recommendation: [ref('综合推荐材料.pdf')] });
  }
  for (let i = 0; i < rows.length; i += 1000) await db('files').insert(rows.slice(i, i + 1000));
  return out;
}
