import { z } from 'zod';
import { systemClock, type Clock } from '../../../engine/types.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../src/errors.ts';
import type { CancelHook, StartHook } from '../instances/instances.hooks.ts';
import { formatShanghai } from '../activities/activities.rules.ts';
import { RESULT_LABELS, type DossierResult } from './dossiers.results.ts';

/** What a unit-less applicant's cases show where an applicant's unit is named. */
export const FREELANCE_UNIT_NAME = '非公/自由职业（属地申报）';

const startVariables = z.object({ activityId: z.coerce.number().int().positive() });

const UNIQUE_VIOLATION = '23505';

/**
 * Before a dossier flow starts: the activity must be open (published, from 申报开始时间 to
 * 个人初次提交截止时间 by the engine's clock), the applicant must have an employer, and there is
 * at most one dossier per applicant and activity — a rejected one bars a new one.
 */
export const createStartDossier = (clock: Clock): StartHook => async ({ trx, actor, variables }) => {
  const parsed = startVariables.safeParse(variables);
  if (!parsed.success) {
    throw new ValidationError('请选择要申报的评审活动', [{ field: 'variables.activityId', message: '请选择评审活动' }]);
  }
  const { activityId } = parsed.data;
  const activity = await trx('activities').where({ id: activityId }).first();
  if (!activity) throw new NotFoundError('评审活动不存在');
  if (activity.status !== 'published') throw new ConflictError(`评审活动“${activity.name}”未开放申报`);
  const now = clock.now();
  // older activities without deadlines are not restricted
  if (activity.starts_at && now.getTime() < new Date(activity.starts_at).getTime()) {
    throw new ConflictError(`评审活动“${activity.name}”的申报开始时间为 ${formatShanghai(new Date(activity.starts_at))}，尚未开始申报`);
  }
  if (activity.first_deadline && now.getTime() > new Date(activity.first_deadline).getTime()) {
    throw new ConflictError(`评审活动“${activity.name}”的个人初次提交截止时间为 ${formatShanghai(new Date(activity.first_deadline))}，已经截止，不能再申报`);
  }
  const user = await trx('users as u').leftJoin('units as n', 'n.id', 'u.unit_id').select('u.*', 'n.name as unit_name').where('u.id', actor.userId).first();
  // a 非公 / 自由职业 applicant has no employer but a 属地, whose HR bureau takes the dossier
  if (!user?.unit_id && !user?.region_code) {
    throw new ValidationError('请先在个人信息中选择工作单位（非公有制经济组织、社会组织和自由职业专业技术人员选择属地）', [{ field: 'unitId', message: '没有工作单位' }]);
  }
  const existing = await trx('dossiers').where({ applicant_id: actor.userId, activity_id: activityId }).first();
  if (existing) {
    if (existing.status === 'rejected') {
      throw new ConflictError(`您在 ${activity.year} 年度“${activity.name}”的申报已被评为不通过，本年度不能再次申报`);
    }
    // an application that ended with a result (未通过, 确认不通过, 放弃 …) ends it for the activity's year
    if (existing.result && existing.result in RESULT_LABELS) {
      const label = RESULT_LABELS[existing.result as DossierResult];
      throw new ConflictError(`您在 ${activity.year} 年度“${activity.name}”的申报结果为“${label}”，本年度不能再次申报`);
    }
    if (existing.status === 'cancelled') {
      throw new ConflictError(`您在“${activity.name}”的申报已被取消（原因见“我的申报”），如需重新申报请联系评委会办事机构`);
    }
    throw new ConflictError(`您已申报“${activity.name}”，请在“我的申报”中查看和办理`);
  }
  let dossierId: number;
  try {
    const [row] = await trx('dossiers')
      .insert({
        activity_id: activityId,
        applicant_id: actor.userId,
        year: activity.year,
        status: 'draft',
        created_at: now,
        updated_at: now,
      })
      .returning('id');
    dossierId = Number(row.id);
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new ConflictError(`您已申报“${activity.name}”，请勿重复提交`);
    throw err;
  }
  return {
    businessKey: `dossier:${dossierId}`,
    variables: {
      dossierId,
      // the printable 评审表, offered on every task page of the case
      reviewForm: { path: `/api/dossiers/${dossierId}/review-form.pdf`, name: '评审表' },
      // its progress page (holders, opinions, defects; the returning unit sets the revision deadline there)
      progressPath: `/dossiers/${dossierId}`,
      activityId,
      activityName: activity.name,
      year: activity.year,
      committeeUnitId: Number(activity.committee_unit_id),
      committeeId: activity.committee_id == null ? null : Number(activity.committee_id),
      applicant: user.unit_id
        ? { id: actor.userId, name: user.display_name, unitId: Number(user.unit_id), unitName: user.unit_name }
        : { id: actor.userId, name: user.display_name, unitId: null, unitName: FREELANCE_UNIT_NAME, regionCode: String(user.region_code) },
    },
    afterStart: async (tx, instanceId) => {
      await tx('dossiers').where({ id: dossierId }).update({ instance_id: instanceId });
    },
  };
};

/** The hook on the system clock (the app passes the engine's, which tests move). */
export const startDossier: StartHook = createStartDossier(systemClock);

/**
 * An administrator cancelled a dossier's case: the dossier is cancelled with it (no unit holds
 * it any more) and the reason is kept for the applicant.
 */
export const cancelDossier: CancelHook = async ({ trx, instanceId, reason, now }) => {
  await trx('dossiers').where({ instance_id: instanceId }).update({ status: 'cancelled', holder_unit_id: null, held_since: null, cancel_reason: reason, updated_at: now });
};
