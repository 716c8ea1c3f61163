import type { Knex } from 'knex';
import { UNIT_STATUS } from '../../../forms/labels.ts';
import { UNIT_NATURE_OPTIONS } from '../../../forms/unit-info.ts';
import { checkCreditCode, deriveCreditCode, DerivedCodesExhausted } from '../../../forms/validators.ts';
import type { WorkflowEngine } from '../../../engine/index.ts';
import { audit } from '../../src/audit.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldProblem } from '../../src/errors.ts';
import { ADMIN_LEVELS, creatableUnitTypes, UNIT_TYPES, type UnitType } from '../../src/permissions.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { unitInScope } from '../../src/scope.ts';
import type { Regions } from '../regions/regions.service.ts';
import { createAccount, type NewAccount } from '../staff/accounts.service.ts';
import { createUnitsRepository, type UnitDetailRecord, type UnitInfo, type UnitRecord } from './units.repository.ts';

/** Basic information as the API receives it (camelCase, validated by the shared zod fields). */
export interface UnitInfoInput {
  creditCode?: string | null;
  name: string;
  nature: string;
  unitType: string;
  regionCode: string;
  phone: string;
  address?: string | null;
  legalRepName?: string | null;
  legalRepIdNumber?: string | null;
  legalRepPhone?: string | null;
  licence?: Array<{ id: string; name?: string; size?: number; mime?: string }> | null;
}

export type UnitService = ReturnType<typeof createUnitService>;

/**
 * 单位管理: the rules of the unit tree — which units a parent may create, where their business
 * may sit, unique and derived credit codes, editing, moving under a new parent (through the
 * registration flow), deactivation.
 */
export function createUnitService(deps: { db: Knex; regions: Regions; engine: WorkflowEngine; now: () => Date; invalidate: () => void }) {
  const { db, regions } = deps;
  const units = createUnitsRepository(db);

  /** Checks where a unit may sit under `parent`; returns field problems (empty when fine). */
  function placementProblems(info: { unitType: string; regionCode: string }, parent: UnitDetailRecord | UnitRecord & { regionCode?: string | null }): FieldProblem[] {
    const problems: FieldProblem[] = [];
    const allowed = creatableUnitTypes(parent);
    if (!allowed.includes(info.unitType as UnitType)) {
      problems.push({ field: 'unitType', message: `单位类型：“${parent.name}”只能管理${allowed.map((t) => UNIT_TYPES[t]).join('、')}` });
    }
    const region = regions.get(info.regionCode);
    if (!region) {
      problems.push({ field: 'regionCode', message: '职称业务归属地：不存在' });
      return problems;
    }
    const parentRegion = 'regionCode' in parent ? parent.regionCode : null;
    if (parentRegion && !regions.within(info.regionCode, parentRegion)) {
      problems.push({ field: 'regionCode', message: `职称业务归属地：应在上级单位的归属地（${regions.label(parentRegion)}）之内` });
    }
    if (info.unitType === 'hr_bureau' && parent.unitType === 'hr_bureau') {
      const order = ['province', 'city', 'county'];
      if (order.indexOf(region.level) <= order.indexOf(parent.adminLevel ?? 'province')) {
        problems.push({ field: 'regionCode', message: '职称业务归属地：下级人社部门应属于更低一级的行政区划' });
      }
    }
    return problems;
  }

  /**
   * A licence must be a file the caller uploaded (or the one the unit already has): nobody attaches
   * someone else's upload.
   */
  async function checkLicence(db2: Knex | Knex.Transaction, actor: RequestActor, licence: UnitInfoInput['licence'], currentId: string | null): Promise<void> {
    const id = licence?.[0]?.id;
    if (!id || id === currentId) return;
    const file = /^[0-9a-f-]{36}$/i.test(id) ? await db2('files').where({ id }).first('uploaded_by') : null;
    if (!file) throw new ValidationError('营业执照或法人证书文件不存在，请重新上传', [{ field: 'licence', message: '文件不存在' }]);
    if (Number(file.uploaded_by) !== actor.userId) throw new ValidationError('只能使用自己上传的文件', [{ field: 'licence', message: '不能使用他人上传的文件' }]);
  }

  async function checkCode(code: string | null | undefined, exceptId: number | null, trx?: Knex.Transaction): Promise<void> {
    if (!code) return;
    if (await units.codeTaken(code, exceptId, trx)) {
      throw new ConflictError(`统一社会信用代码 ${code} 已被其他单位使用`, [{ field: 'creditCode', message: '已被其他单位使用' }]);
    }
  }

  function infoOf(input: UnitInfoInput): UnitInfo {
    return {
      name: input.name,
      creditCode: input.creditCode ?? null,
      unitType: input.unitType,
      nature: input.nature,
      regionCode: input.regionCode,
      adminLevel: regions.get(input.regionCode)?.level ?? null,
      phone: input.phone,
      address: input.address ?? null,
      legalRepName: input.legalRepName ?? null,
      legalRepIdNumber: input.legalRepIdNumber ?? null,
      legalRepPhone: input.legalRepPhone ?? null,
      licenceFileId: input.licence?.[0]?.id ?? null,
    };
  }

  async function view(record: UnitDetailRecord, trx?: Knex.Transaction) {
    const related = [record.parentId, record.pendingParentId].filter((v): v is number => v != null);
    const names = new Map((await units.byIds(related, trx)).map((u) => [u.id, u.name]));
    const licence = record.licenceFileId ? await (trx ?? db)('files').select('id', 'name', 'size', 'mime').where({ id: record.licenceFileId }).first() : null;
    const [counts] = await (trx ?? db)('units as u')
      .where('u.id', record.id)
      .select(
        db.raw("(select count(*) from units c where c.parent_id = u.id and c.status <> 'inactive')::int as children"),
        db.raw("(select count(*) from users s where s.unit_id = u.id and s.status = 'active' and not ('applicant' = any(s.roles)))::int as staff"),
      );
    return {
      id: record.id,
      name: record.name,
      creditCode: record.creditCode,
      creditCodeDerived: record.creditCodeDerived,
      unitType: record.unitType,
      unitTypeName: UNIT_TYPES[record.unitType as UnitType] ?? record.unitType,
      nature: record.nature,
      natureName: record.nature ? (UNIT_NATURE_OPTIONS[record.nature as keyof typeof UNIT_NATURE_OPTIONS] ?? record.nature) : null,
      regionCode: record.regionCode,
      regionName: regions.label(record.regionCode),
      adminLevel: record.adminLevel,
      adminLevelName: record.adminLevel ? (ADMIN_LEVELS[record.adminLevel as keyof typeof ADMIN_LEVELS] ?? record.adminLevel) : null,
      phone: record.phone,
      address: record.address,
      legalRepName: record.legalRepName,
      legalRepIdNumber: record.legalRepIdNumber,
      legalRepPhone: record.legalRepPhone,
      licence: licence ? [{ id: String(licence.id), name: String(licence.name), size: Number(licence.size), mime: String(licence.mime) }] : [],
      parentId: record.parentId,
      parentName: record.parentId != null ? (names.get(record.parentId) ?? null) : null,
      pendingParentId: record.pendingParentId,
      pendingParentName: record.pendingParentId != null ? (names.get(record.pendingParentId) ?? null) : null,
      registrationInstanceId: record.registrationInstanceId,
      status: record.status,
      statusName: UNIT_STATUS[record.status as keyof typeof UNIT_STATUS] ?? record.status,
      deactivatedReason: record.deactivatedReason,
      childCount: Number(counts?.children ?? 0),
      staffCount: Number(counts?.staff ?? 0),
      version: record.version,
      createdAt: record.createdAt.toISOString(),
      updatedAt: record.updatedAt.toISOString(),
    };
  }

  async function detailOrThrow(id: number, trx?: Knex.Transaction): Promise<UnitDetailRecord> {
    const record = await units.detail(id, trx);
    if (!record) throw new NotFoundError('单位不存在');
    return record;
  }

  return {
    units,
    view,
    detailOrThrow,
    placementProblems,
    checkCode,
    checkLicence,
    infoOf,

    /** 新增下级单位: basic information, legal person, and the first clerk (the new unit's super admin). */
    async createSubordinate(actor: RequestActor, input: { unit: UnitInfoInput & { deriveCreditCode?: boolean }; admin: Omit<NewAccount, 'roles' | 'unitId'> }) {
      const now = deps.now();
      const result = await db.transaction(async (trx) => {
        const parent = await detailOrThrow(actor.unitId ?? 0, trx);
        if (parent.status !== 'active') throw new ForbiddenError('本单位尚未通过注册审核，不能新增下级单位');
        const problems = placementProblems(input.unit, parent);
        let creditCode = input.unit.creditCode ?? null;
        let derived = false;
        if (input.unit.deriveCreditCode) {
          if (!parent.creditCode) problems.push({ field: 'creditCode', message: '统一社会信用代码：本单位没有代码，不能为下级单位派生代码' });
          else {
            try {
              creditCode = deriveCreditCode(parent.creditCode, await units.codesStartingWith(parent.creditCode.slice(0, 18), trx));
            } catch (err) {
              if (err instanceof DerivedCodesExhausted) throw new ConflictError(err.message, [{ field: 'creditCode', message: '派生代码已用完' }]);
              throw err;
            }
            derived = true;
          }
        } else if (!creditCode) {
          problems.push({ field: 'creditCode', message: '统一社会信用代码：必填（没有独立代码的下级机构可选择由上级代码派生）' });
        } else {
          const checked = checkCreditCode(creditCode, { allowDerived: true });
          if (checked.ok && checked.derived && !(parent.creditCode && creditCode.startsWith(parent.creditCode.slice(0, 18)))) {
            problems.push({ field: 'creditCode', message: '统一社会信用代码：派生代码须以本单位代码开头' });
          }
          derived = checked.ok && checked.derived;
        }
        if (problems.length) throw new ValidationError(`下级单位信息有误：${problems.map((p) => p.message).join('；')}`, problems);
        await checkCode(creditCode, null, trx);
        await checkLicence(trx, actor, input.unit.licence, null);
        const unit = await units.insert(
          { ...infoOf(input.unit), creditCode, creditCodeDerived: derived, parentId: parent.id, status: 'active', createdByUnitId: parent.id },
          trx,
        );
        const account = await createAccount(trx, actor, { ...input.admin, unitId: unit.id, roles: ['unit_admin'] }, now);
        await audit(trx, actor, { action: 'unit.create', targetType: 'unit', targetId: unit.id, unitId: parent.id, data: { name: unit.name, creditCode, admin: account.username } }, now);
        return { unitId: unit.id, account };
      });
      return { unit: await view(await detailOrThrow(result.unitId)), admin: result.account };
    },

    /** Edits a unit's basic information (own unit, or a unit below). The parent is changed through the flow. */
    async update(actor: RequestActor, unitId: number, version: number, input: UnitInfoInput, mode: 'own' | 'below') {
      const now = deps.now();
      await db.transaction(async (trx) => {
        await unitInScope(trx, actor, unitId, mode);
        const current = await detailOrThrow(unitId, trx);
        if (current.status === 'inactive') throw new ConflictError('单位已停用，请先启用后再修改');
        if (current.status === 'registering') throw new ConflictError('单位正在注册审核，请在待办事项的“用户权限申请”中修改后提交');
        const parent = current.parentId != null ? await detailOrThrow(current.parentId, trx) : null;
        // a unit's type and jurisdiction decide where it sits and who reviews its dossiers: the unit
        // above maintains them, the unit itself cannot
        if (mode === 'own' && (input.unitType !== current.unitType || input.regionCode !== current.regionCode)) {
          const field = input.unitType !== current.unitType ? 'unitType' : 'regionCode';
          throw new ValidationError('单位类型和职称业务归属地由上级单位维护，本单位不能修改', [{ field, message: '由上级单位维护' }]);
        }
        const problems = parent ? placementProblems(input, parent) : [];
        if (input.unitType !== current.unitType && current.unitType === 'hr_bureau') {
          problems.push({ field: 'unitType', message: '单位类型：人社部门不能改为其他类型' });
        }
        const checked = input.creditCode ? checkCreditCode(input.creditCode, { allowDerived: true }) : null;
        if (checked?.ok && checked.derived && !(parent?.creditCode && input.creditCode?.startsWith(parent.creditCode.slice(0, 18)))) {
          problems.push({ field: 'creditCode', message: '统一社会信用代码：派生代码须以上级单位代码开头' });
        }
        if (problems.length) throw new ValidationError(`单位信息有误：${problems.map((p) => p.message).join('；')}`, problems);
        await checkCode(input.creditCode, unitId, trx);
        if (input.licence !== undefined) await checkLicence(trx, actor, input.licence, current.licenceFileId);
        const info = infoOf(input);
        if (input.licence === undefined) delete info.licenceFileId;
        await units.update(unitId, version, { info: { ...info, creditCodeDerived: checked?.ok ? checked.derived : false } }, now, trx);
        await audit(trx, actor, { action: 'unit.update', targetType: 'unit', targetId: unitId, unitId, data: { before: { name: current.name, unitType: current.unitType, creditCode: current.creditCode ?? null }, after: { name: input.name, unitType: input.unitType, creditCode: input.creditCode ?? null } } }, now);
      });
      deps.invalidate();
      return view(await detailOrThrow(unitId));
    },

    /** 停用: refused while the unit has units, dossiers in progress or open tasks; its accounts are disabled with it. */
    async deactivate(actor: RequestActor, unitId: number, reason: string) {
      const now = deps.now();
      await db.transaction(async (trx) => {
        const unit = await unitInScope(trx, actor, unitId, 'below');
        if (unit.status === 'inactive') throw new ConflictError('该单位已停用');
        const [row] = await trx('units as u')
          .where('u.id', unitId)
          .select(
            trx.raw("(select count(*) from units c where c.parent_id = u.id and c.status <> 'inactive')::int as children"),
            trx.raw(
              "(select count(*) from dossiers d join users a on a.id = d.applicant_id where a.unit_id = u.id and d.status in ('draft', 'submitted', 'returned'))::int as dossiers",
            ),
            trx.raw("(select count(*) from tasks t where t.candidate_unit_id = u.id and t.status = 'open')::int as tasks"),
          );
        const reasons: string[] = [];
        if (row.children) reasons.push(`还有 ${row.children} 个下级单位`);
        if (row.dossiers) reasons.push(`还有 ${row.dossiers} 份办理中的申报材料`);
        if (row.tasks) reasons.push(`还有 ${row.tasks} 件待办事项`);
        if (reasons.length) {
          throw new ConflictError(`“${String(unit.name)}”不能停用：${reasons.join('，')}。请先处理完毕后再停用`, reasons.map((message) => ({ field: 'id', message })));
        }
        // the unit's accounts go with it (and come back with it)
        await units.update(unitId, null, { columns: { status: 'inactive', deactivated_reason: reason, deactivated_at: now } }, now, trx);
        await trx('users').where({ unit_id: unitId, status: 'active' }).update({ status: 'disabled', disabled_reason: 'unit_inactive', disabled_at: now, updated_at: now });
        await audit(trx, actor, { action: 'unit.deactivate', targetType: 'unit', targetId: unitId, unitId, data: { reason } }, now);
      });
      deps.invalidate();
      return view(await detailOrThrow(unitId));
    },

    async activate(actor: RequestActor, unitId: number) {
      const now = deps.now();
      await db.transaction(async (trx) => {
        const unit = await unitInScope(trx, actor, unitId, 'below');
        if (unit.status !== 'inactive') throw new ConflictError('该单位未停用');
        const parent = unit.parent_id != null ? await trx('units').where({ id: unit.parent_id }).first() : null;
        if (parent && parent.status !== 'active') throw new ConflictError(`上级单位“${parent.name}”已停用，请先启用上级单位`);
        await units.update(unitId, null, { columns: { status: 'active', deactivated_reason: null, deactivated_at: null } }, now, trx);
        await trx('users').where({ unit_id: unitId, status: 'disabled', disabled_reason: 'unit_inactive' }).update({ status: 'active', disabled_reason: null, disabled_at: null, updated_at: now });
        await audit(trx, actor, { action: 'unit.activate', targetType: 'unit', targetId: unitId, unitId }, now);
      });
      deps.invalidate();
      return view(await detailOrThrow(unitId));
    },
  };
}
