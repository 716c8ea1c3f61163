import type { Knex } from 'knex';
import type { WorkflowEngine } from '../../../engine/index.ts';
import type { ServiceHandler } from '../../../engine/types.ts';
import { audit } from '../../src/audit.ts';
import { maskIdNumber, maskPhone } from '../../src/pii.ts';
import { ConflictError, ValidationError } from '../../src/errors.ts';
import { UNIT_TYPES, type UnitType } from '../../src/permissions.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { createAccount } from '../staff/accounts.service.ts';
import { createUnitsRepository } from './units.repository.ts';
import type { UnitInfoInput, UnitService } from './units.service.ts';

export const REGISTRATION_PROCESS = 'unit-registration';

/** Variables of a registration (or parent-change) instance. */
interface RegistrationVariables {
  kind: 'registration' | 'parent_change';
  unitId: number;
  unit: UnitInfoInput & { parentId: number };
  parentUnitId: number;
  parentName: string;
  oldParentId?: number | null;
  oldParentName?: string | null;
}

export interface RegistrationInput {
  unit: Pick<UnitInfoInput, 'creditCode' | 'name' | 'nature' | 'unitType' | 'regionCode' | 'phone'> & { parentId: number };
  admin: { username: string; displayName: string; idNumber: string; phone: string; password: string };
}

/**
 * 单位注册 and 变更上级单位, both run by `processes/unit-registration.bpmn`: the unit completes
 * its information (用户权限申请) and the parent it names approves or returns it. Until then a
 * registering unit can do nothing else, and a unit changing its parent keeps working under the
 * old one.
 */
export function createRegistration(deps: { db: Knex; engine: WorkflowEngine; units: UnitService; invalidate: () => void }) {
  const { db, engine, units: service } = deps;
  const repo = createUnitsRepository(db);

  /** A derived code (parent's code + two digits) must be derived from the chosen parent's. */
  function derivedFrom(code: string | null | undefined, parent: { creditCode: string | null }) {
    if (code && code.length === 20 && !(parent.creditCode && code.startsWith(parent.creditCode.slice(0, 18)))) {
      throw new ValidationError('派生的统一社会信用代码须以上级单位的代码开头', [{ field: 'creditCode', message: '与上级单位代码不符' }]);
    }
  }

  /** Where the unit would sit; problems name the fields. */
  async function placement(info: { unitType: string; regionCode: string; parentId: number }, unitId: number | null, trx?: Knex.Transaction) {
    const parent = await repo.detail(info.parentId, trx);
    if (!parent || parent.status !== 'active') {
      throw new ValidationError('上级单位不存在或尚未通过审核', [{ field: 'parentId', message: '请选择已通过审核的上级单位' }]);
    }
    if (unitId != null) {
      const self = await repo.get(unitId, trx);
      if (self && parent.path.startsWith(self.path)) {
        throw new ValidationError('上级单位不能是本单位或本单位的下级单位', [{ field: 'parentId', message: '不能选择本单位或下级单位' }]);
      }
    }
    const problems = service.placementProblems(info, parent);
    if (problems.length) throw new ValidationError(`单位信息有误：${problems.map((p) => p.message).join('；')}`, problems);
    return parent;
  }

  /**
   * The legal representative's numbers the flow may keep: their masked forms only. The numbers
   * themselves are sealed on the unit's row (`units.legal_rep_*_enc`), which the steps read.
   */
  const LEGAL_REP_NUMBERS = [
    { key: 'legalRepIdNumber', mask: maskIdNumber, label: '法定代表人身份证号码' },
    { key: 'legalRepPhone', mask: maskPhone, label: '法定代表人联系电话' },
  ] as const;
  const isMasked = (value: unknown): boolean => typeof value === 'string' && value.includes('*');

  /**
   * 用户权限申请's last check: the numbers typed are sealed on the registering unit, and the data the
   * engine goes on to store — the case's `unit` variable and the submission in its history, both this
   * very object — keeps only their masked form. A masked value handed back (a returned application
   * resubmitted unchanged) keeps the sealed number when it is its mask, and is refused otherwise. A
   * unit changing its parent keeps its information (maintained in 本级单位信息): only masked here.
   */
  async function sealLegalRep(v: RegistrationVariables, unit: { legalRepIdNumber: string | null; legalRepPhone: string | null }, data: Record<string, unknown>) {
    const typed: Partial<UnitInfoInput> = {};
    for (const { key, mask, label } of LEGAL_REP_NUMBERS) {
      const value = data[key];
      if (typeof value !== 'string' || value.trim() === '') continue;
      if (isMasked(value)) {
        if (v.kind === 'registration' && mask(unit[key]) !== value) {
          throw new ValidationError(`${label}：请填写完整的号码`, [{ field: `data.${key}`, message: `${label}：请填写完整的号码` }]);
        }
        continue;
      }
      if (v.kind === 'registration') typed[key] = value.trim();
      data[key] = mask(value);
    }
    if (Object.keys(typed).length) await repo.update(v.unitId, null, { info: typed }, engine.clock.now());
  }

  /** A unit's information from the flow's `unit` variable, without the masked numbers it keeps (the row holds them sealed). */
  function infoFromFlow(unit: RegistrationVariables['unit']) {
    const info: Partial<ReturnType<UnitService['infoOf']>> = service.infoOf(unit);
    for (const { key } of LEGAL_REP_NUMBERS) if (isMasked(unit[key])) delete info[key];
    return info;
  }

  const handlers: Record<string, ServiceHandler> = {
    /**
     * 提交: a registering unit's information becomes the unit's; a unit changing its parent keeps
     * its information (only the parent is under review). The named parent is waiting to approve.
     */
    'unit.registrationSubmitted': async ({ trx, variables, clock }) => {
      const v = variables as unknown as RegistrationVariables;
      const now = clock.now();
      const parent = await repo.get(Number(v.unit.parentId), trx);
      if (!parent || parent.status !== 'active') throw new ConflictError('所选上级单位不存在或已停用，请重新选择', [{ field: 'parentId', message: '上级单位不可用' }]);
      if (v.kind === 'registration') {
        // checked again here: another unit may have taken the code since the form was checked
        await service.checkCode(v.unit.creditCode, v.unitId, trx);
        await repo.update(v.unitId, null, { info: infoFromFlow(v.unit), columns: { pending_parent_id: parent.id } }, now, trx);
      } else {
        await repo.update(v.unitId, null, { columns: { pending_parent_id: parent.id } }, now, trx);
      }
      return { parentUnitId: parent.id, parentName: parent.name };
    },
    /** 审核通过: a registering unit becomes active under its parent; a moving unit moves. */
    'unit.registrationApproved': async ({ trx, variables, clock }) => {
      const v = variables as unknown as RegistrationVariables;
      const now = clock.now();
      // where it goes may have changed since it was submitted: the parent, the unit tree, the code
      const unit = await repo.detail(v.unitId, trx);
      if (!unit) throw new ConflictError('申请的单位已不存在');
      const parent = await repo.detail(Number(v.parentUnitId), trx);
      if (!parent || parent.status !== 'active') throw new ConflictError('本单位已停用，不能审核通过下级单位的申请');
      const problems = service.placementProblems({ unitType: unit.unitType, regionCode: unit.regionCode ?? '' }, parent);
      if (problems.length) throw new ConflictError(`不能审核通过：${problems.map((p) => p.message).join('；')}`, problems);
      if (v.kind === 'registration') await service.checkCode(unit.creditCode, unit.id, trx);
      await repo.move(v.unitId, parent.id, now, trx);
      await repo.update(v.unitId, null, { columns: { status: 'active', registration_instance_id: null } }, now, trx);
      await audit(trx, null, { action: v.kind === 'registration' ? 'unit.registration_approved' : 'unit.parent_changed', targetType: 'unit', targetId: v.unitId, unitId: parent.id, data: { parentId: parent.id, oldParentId: v.oldParentId ?? null } }, now);
      deps.invalidate();
    },
    /**
     * 不予通过: a registration ends — the unit and its accounts are disabled and its credit code is
     * released (someone may have registered with another organisation's code); a change of parent
     * is simply refused and the unit stays where it is.
     */
    'unit.registrationRejected': async ({ trx, variables, clock }) => {
      const v = variables as unknown as RegistrationVariables;
      const now = clock.now();
      if (v.kind === 'registration') {
        const unit = await repo.detail(v.unitId, trx);
        await repo.update(
          v.unitId,
          null,
          { columns: { status: 'inactive', credit_code: null, pending_parent_id: null, registration_instance_id: null, deactivated_reason: `注册未通过审核：${String(variables.opinion ?? '')}`, deactivated_at: now } },
          now,
          trx,
        );
        await trx('users').where({ unit_id: v.unitId, status: 'active' }).update({ status: 'disabled', disabled_reason: 'unit_inactive', disabled_at: now, updated_at: now });
        await audit(trx, null, { action: 'unit.registration_rejected', targetType: 'unit', targetId: v.unitId, unitId: Number(v.parentUnitId), data: { creditCode: unit?.creditCode ?? null, opinion: variables.opinion ?? null } }, now);
        deps.invalidate();
      } else {
        await repo.update(v.unitId, null, { columns: { pending_parent_id: null, registration_instance_id: null } }, now, trx);
        await audit(trx, null, { action: 'unit.parent_change_rejected', targetType: 'unit', targetId: v.unitId, unitId: Number(v.parentUnitId), data: { opinion: variables.opinion ?? null } }, now);
      }
    },
    /** 撤回变更: the unit stays where it is. */
    'unit.parentChangeWithdrawn': async ({ trx, variables, clock }) => {
      const v = variables as unknown as RegistrationVariables;
      await repo.update(v.unitId, null, { columns: { pending_parent_id: null, registration_instance_id: null } }, clock.now(), trx);
    },
  };

  /** Checks made before the 用户权限申请 task completes: unique code, a valid parent, withdraw only for a change. */
  const check: CompletionCheck = async ({ task, actor, action, data }) => {
    const instance = await engine.repo.getInstance(task.rootInstanceId);
    const v = (instance?.variables ?? {}) as unknown as RegistrationVariables;
    if (action === 'withdraw') {
      if (v.kind !== 'parent_change') throw new ValidationError('单位注册申请不能撤回，请完善信息后提交', [{ field: 'action', message: '注册申请不能撤回' }]);
      return;
    }
    const info = data as unknown as UnitInfoInput & { parentId: number };
    const unit = await service.detailOrThrow(v.unitId);
    if (v.kind === 'parent_change') {
      if (info.unitType !== unit.unitType || info.regionCode !== unit.regionCode) {
        throw new ValidationError('变更上级单位时不能修改单位类型和职称业务归属地', [{ field: info.unitType !== unit.unitType ? 'unitType' : 'regionCode', message: '不能修改' }]);
      }
      if (Number(info.parentId) === v.oldParentId) {
        throw new ValidationError('上级单位没有变化；如不再变更，请撤回变更申请', [{ field: 'parentId', message: '与当前上级单位相同' }]);
      }
    } else if (info.unitType === 'hr_bureau') {
      throw new ValidationError('人社部门账号由上级人社部门开设，不能自行注册', [{ field: 'unitType', message: '不能自行注册' }]);
    }
    await service.checkCode(info.creditCode, v.unitId);
    await service.checkLicence(db, actor, info.licence, unit.licenceFileId);
    const parent = await placement({ unitType: info.unitType, regionCode: info.regionCode, parentId: Number(info.parentId) }, v.unitId);
    derivedFrom(info.creditCode, parent);
    await sealLegalRep(v, unit, data);
  };

  return {
    handlers,
    check,

    /** 自行注册: the unit (waiting for approval), its first clerk (super admin) and the flow, in one transaction. */
    async register(input: RegistrationInput) {
      const now = engine.clock.now();
      if (!(input.unit.unitType in UNIT_TYPES) || input.unit.unitType === 'hr_bureau') {
        throw new ValidationError('人社部门账号由上级人社部门开设，不能自行注册', [{ field: 'unit.unitType', message: '不能自行注册' }]);
      }
      await service.checkCode(input.unit.creditCode, null);
      const parent = await placement(input.unit, null);
      derivedFrom(input.unit.creditCode, parent);
      let created: { unitId: number; username: string } | null = null;
      const instanceId = await engine.startInstance({
        processKey: REGISTRATION_PROCESS,
        actor: null,
        checkStarter: false,
        prepare: async (trx) => {
          const unit = await repo.insert(
            { ...service.infoOf({ ...input.unit, address: null }), parentId: null, status: 'registering', pendingParentId: parent.id },
            trx,
          );
          const account = await createAccount(trx, null, { ...input.admin, unitId: unit.id, roles: ['unit_admin'] }, now);
          await audit(trx, { userId: account.id, displayName: account.displayName, unitId: unit.id }, { action: 'unit.register', targetType: 'unit', targetId: unit.id, unitId: parent.id, data: { name: unit.name, parentId: parent.id } }, now);
          created = { unitId: unit.id, username: account.username };
          const variables: RegistrationVariables = {
            kind: 'registration',
            unitId: unit.id,
            unit: { ...input.unit, address: null },
            parentUnitId: parent.id,
            parentName: parent.name,
          };
          return {
            businessKey: `unit:${unit.id}`,
            variables: variables as unknown as Record<string, unknown>,
            afterStart: async (tx, id) => {
              await tx('units').where({ id: unit.id }).update({ registration_instance_id: id });
            },
          };
        },
      });
      const done = created as { unitId: number; username: string } | null;
      if (!done) throw new Error('registration did not create the unit');
      return { unitId: done.unitId, username: done.username, instanceId, parentName: parent.name };
    },

    /** 变更上级单位: starts the flow; the new parent approves; until then nothing moves. */
    async requestParentChange(actor: RequestActor, newParentId: number) {
      const unit = await service.detailOrThrow(actor.unitId ?? 0);
      if (unit.status !== 'active') throw new ConflictError('本单位尚未通过注册审核，请在“用户权限申请”中修改上级单位');
      if (unit.pendingParentId != null) throw new ConflictError('已有待上级单位审核的变更申请，请等待审核或撤回后再提交');
      if (unit.parentId === newParentId) throw new ValidationError('上级单位没有变化', [{ field: 'parentId', message: '与当前上级单位相同' }]);
      if (!unit.regionCode || !unit.nature || !unit.phone) {
        throw new ValidationError('请先完善本单位的基本信息（单位性质、职称业务归属地、联系电话）后再变更上级单位', [{ field: 'regionCode', message: '请先完善基本信息' }]);
      }
      const parent = await placement({ unitType: unit.unitType, regionCode: unit.regionCode, parentId: newParentId }, unit.id);
      const old = unit.parentId != null ? await repo.get(unit.parentId) : null;
      const licence = unit.licenceFileId ? await db('files').select('id', 'name', 'size', 'mime').where({ id: unit.licenceFileId }).first() : null;
      const info: UnitInfoInput & { parentId: number } = {
        creditCode: unit.creditCode,
        name: unit.name,
        nature: unit.nature,
        unitType: unit.unitType as UnitType,
        regionCode: unit.regionCode,
        phone: unit.phone,
        address: unit.address,
        legalRepName: unit.legalRepName,
        // the flow keeps the masked forms; the unit's row keeps the numbers sealed
        legalRepIdNumber: maskIdNumber(unit.legalRepIdNumber),
        legalRepPhone: maskPhone(unit.legalRepPhone),
        licence: licence ? [{ id: String(licence.id), name: String(licence.name), size: Number(licence.size), mime: String(licence.mime) }] : [],
        parentId: parent.id,
      };
      const variables: RegistrationVariables = {
        kind: 'parent_change',
        unitId: unit.id,
        unit: info,
        parentUnitId: parent.id,
        parentName: parent.name,
        oldParentId: old?.id ?? null,
        oldParentName: old?.name ?? null,
      };
      const instanceId = await engine.startInstance({
        processKey: REGISTRATION_PROCESS,
        actor,
        checkStarter: false,
        businessKey: `unit:${unit.id}`,
        variables: variables as unknown as Record<string, unknown>,
        prepare: async (trx) => {
          // guarded: a second request racing this one finds the pending parent set and stops
          const count = await trx('units').where({ id: unit.id }).whereNull('pending_parent_id').update({ pending_parent_id: parent.id });
          if (count !== 1) throw new ConflictError('已有待上级单位审核的变更申请');
          await audit(trx, actor, { action: 'unit.parent_change_requested', targetType: 'unit', targetId: unit.id, unitId: unit.id, data: { from: old?.id ?? null, to: parent.id } }, engine.clock.now());
          return { afterStart: async (tx, id) => void (await tx('units').where({ id: unit.id }).update({ registration_instance_id: id })) };
        },
      });
      return { instanceId, parentName: parent.name };
    },
  };
}

export type Registration = ReturnType<typeof createRegistration>;

