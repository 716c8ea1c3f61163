import type { Knex } from 'knex';
import type { ServiceHandler } from '../../../engine/types.ts';
import { createUnitsRepository } from '../units/units.repository.ts';
import { competentDepartment } from '../routing/routing.routes.ts';
import type { Regions } from '../regions/regions.service.ts';

interface ApplicantVar {
  id: number;
  unitId: number;
}

function dossierIdOf(variables: Readonly<Record<string, unknown>>): number {
  const id = Number(variables.dossierId);
  if (!Number.isInteger(id)) throw new Error('流程变量中缺少申报编号 dossierId');
  return id;
}

async function setStatus(trx: Knex.Transaction, id: number, status: string, now: Date, extra: Record<string, unknown> = {}) {
  const count = await trx('dossiers').where({ id }).update({ status, updated_at: now, ...extra });
  if (count !== 1) throw new Error(`申报记录 ${id} 不存在`);
}

/**
 * Service-task handlers of the dossier review flow. The diagram decides when they run;
 * they keep the dossier record in step with it and compute the review chain.
 */
export function createDossierHandlers(db: Knex, regions: Regions): Record<string, ServiceHandler> {
  return {
    /** 登记提交: stores the submitted data and computes who reviews it, from the unit tree. */
    'dossier.submitted': async ({ trx, variables, clock }) => {
      const id = dossierIdOf(variables);
      const now = clock.now();
      const applicant = variables.applicant as ApplicantVar | undefined;
      if (!applicant?.unitId) throw new Error('申报人没有工作单位，无法确定审核单位');
      const units = createUnitsRepository(db);
      const employer = await units.detail(applicant.unitId, trx);
      if (!employer) throw new Error(`工作单位 ${applicant.unitId} 不存在`);
      const committeeId = variables.committeeId == null ? null : Number(variables.committeeId);
      const department = await competentDepartment(trx, regions, employer, committeeId);
      // the HR bureau above the competent department (or above the employer when there is none)
      const bureauBase = department ? await units.ancestry(department.id, trx) : (await units.ancestry(employer.id, trx)).slice(1);
      const bureau = bureauBase.find((u) => u.unitType === 'hr_bureau') ?? null;
      const committeeUnitId = Number(variables.committeeUnitId);
      const committee = (await units.get(committeeUnitId, trx)) ?? null;
      if (!committee) throw new Error('评审活动的评委会组建单位不存在');
      const row = await trx('dossiers').select('submitted_at').where({ id }).first();
      await setStatus(trx, id, 'submitted', now, {
        data: JSON.stringify(variables.dossier ?? {}),
        submitted_at: row?.submitted_at ?? now,
      });
      // an HR bureau applying for its own staff is not reviewed twice by itself
      const bureauId = bureau && bureau.id !== employer.id ? bureau.id : null;
      return {
        chain: {
          employer: employer.id,
          employerName: employer.name,
          department: department?.id ?? null,
          departmentName: department?.name ?? null,
          departmentVia: department?.via ?? null,
          bureau: bureauId,
          bureauName: bureauId ? (bureau?.name ?? null) : null,
          committee: committee.id,
          committeeName: committee.name,
        },
      };
    },
    'dossier.returned': async ({ trx, variables, clock }) => {
      await setStatus(trx, dossierIdOf(variables), 'returned', clock.now());
    },
    /** 不通过: the dossier stays rejected, which bars a new application to this activity. */
    'dossier.rejected': async ({ trx, variables, clock }) => {
      await setStatus(trx, dossierIdOf(variables), 'rejected', clock.now());
    },
    'dossier.received': async ({ trx, variables, clock }) => {
      await setStatus(trx, dossierIdOf(variables), 'received', clock.now());
    },
  };
}
