import type { Knex } from 'knex';
import type { ServiceHandler } from '../../../engine/types.ts';
import { countsOfTalent, createTalentsRepository } from './talents.repository.ts';

export const TALENT_PROCESS = 'talent-registration';

const num = (v: unknown, name: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`专技人才审核缺少${name}`);
  return n;
};

/**
 * 审核路径: the person's unit, then each parent unit up to and including the first 人社部门
 * (the HR bureau of the place); a tree without one ends at its root. Computed at each
 * submission, so a unit moved in the tree since is reviewed where it now stands.
 */
export async function auditPathOf(repo: ReturnType<typeof createTalentsRepository>, unitId: number, trx?: Knex.Transaction): Promise<number[]> {
  const own = await repo.unit(unitId, trx);
  if (!own) throw new Error(`单位 ${unitId} 不存在`);
  const ancestry = own.path.split('/').filter(Boolean).map(Number).reverse();
  const units = new Map((await repo.unitsByIds(ancestry, trx)).map((u) => [Number(u.id), u]));
  const path: number[] = [];
  for (const id of ancestry) {
    path.push(id);
    if (units.get(id)?.unit_type === 'hr_bureau') break;
  }
  return path;
}

/**
 * The handlers of `talent-registration`: they record where a registration stands and compute the
 * facts the diagram routes on (which unit reviews next, whether there is a unit above it); the
 * loop up the chain, the returns and the end are the diagram's.
 */
export function createTalentFlow(db: Knex) {
  const repo = createTalentsRepository(db);

  const handlers: Record<string, ServiceHandler> = {
    /** 提交审核: the registration enters review; the levels start again from the person's unit. */
    'talent.submitted': async ({ trx, variables, clock }) => {
      const talentId = num(variables.talentId, '登记（talentId）');
      const talent = await repo.forUpdate(talentId, trx);
      if (!talent) throw new Error(`专技人才信息 ${talentId} 不存在`);
      const auditPath = await auditPathOf(repo, Number(talent.unit_id), trx);
      await repo.setState(talentId, ['draft', 'returned'], { status: 'reviewing', audit_path: auditPath, current_unit_id: null, submitted_at: clock.now(), updated_at: clock.now() }, trx);
      return { auditPath, levelIndex: -1, personName: talent.person_name };
    },

    /** 确定审核单位: the next unit of the path, and whether a unit above it still reviews. */
    'talent.nextLevel': async ({ trx, variables }) => {
      const talentId = num(variables.talentId, '登记（talentId）');
      const path = Array.isArray(variables.auditPath) ? (variables.auditPath as unknown[]).map((v) => num(v, '审核路径')) : [];
      const levelIndex = Number(variables.levelIndex ?? -1) + 1;
      const unitId = path[levelIndex];
      if (unitId == null) throw new Error('专技人才审核路径已走完');
      await repo.setState(talentId, ['reviewing'], { current_unit_id: unitId }, trx);
      const unit = await repo.unit(unitId, trx);
      return { levelIndex, unitId, levelUnitName: unit?.name ?? '', hasParentLevel: levelIndex < path.length - 1 };
    },

    /** 退回: back to the person with the reason. */
    'talent.returned': async ({ trx, variables, clock }) => {
      const talentId = num(variables.talentId, '登记（talentId）');
      const talent = await repo.forUpdate(talentId, trx);
      const reason = String(variables.opinion ?? '').trim() || '审核退回';
      await repo.setState(talentId, ['reviewing'], { status: 'returned', return_reason: reason, return_count: Number(talent?.return_count ?? 0) + 1, current_unit_id: null, updated_at: clock.now() }, trx);
    },

    /** 不通过: the review ends here; the registration is kept and stays visible. */
    'talent.rejected': async ({ trx, variables, clock }) => {
      const talentId = num(variables.talentId, '登记（talentId）');
      const reason = String(variables.opinion ?? '').trim() || '审核不通过';
      await repo.setState(talentId, ['reviewing'], { status: 'rejected', reject_reason: reason, current_unit_id: null, decided_at: clock.now(), updated_at: clock.now() }, trx);
    },

    /** 审核通过 at the top: counted in the statistics, in the same transaction. */
    'talent.approved': async ({ trx, variables, clock }) => {
      const talentId = num(variables.talentId, '登记（talentId）');
      const talent = await repo.forUpdate(talentId, trx);
      if (!talent) throw new Error(`专技人才信息 ${talentId} 不存在`);
      await repo.setState(talentId, ['reviewing'], { status: 'approved', current_unit_id: null, decided_at: clock.now(), updated_at: clock.now() }, trx);
      await repo.addToSummary(Number(talent.unit_id), talent.category, countsOfTalent(talent), trx);
    },
  };

  return { handlers };
}
