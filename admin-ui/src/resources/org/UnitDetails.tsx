import { Alert, Chip, Grid, Stack, Typography } from '@mui/material';
import { DetailItem } from '../../components/DetailItem.tsx';
import type { ApiResponse } from '../../api-types.ts';

/** A unit record as the API returns it (本级单位 / 下级单位). */
/** A unit as 本级单位信息 and 下级单位管理 show it. */
export type UnitRecord = ApiResponse<'/api/my-unit'>;

/** The editable fields of a unit, as the unit forms hold them. */
export function editableOf(unit: UnitRecord) {
  return {
    creditCode: unit.creditCode ?? '',
    name: unit.name,
    nature: unit.nature ?? undefined,
    unitType: unit.unitType,
    regionCode: unit.regionCode ?? undefined,
    phone: unit.phone ?? '',
    address: unit.address ?? '',
    legalRepName: unit.legalRepName ?? '',
    legalRepIdNumber: unit.legalRepIdNumber ?? '',
    legalRepPhone: unit.legalRepPhone ?? '',
    licence: unit.licence,
  };
}

/** Empty strings are "not given" for the API's optional fields. */
export function withoutEmpty(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '' && v !== null && v !== undefined));
}


/** 单位信息 read-only, with its state (registering, pending parent change, deactivated). */
export function UnitSummary({ unit }: { unit: UnitRecord }) {
  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Typography variant="h6">{unit.name}</Typography>
        <Chip size="small" label={unit.unitTypeName} />
        <Chip size="small" label={unit.statusName} color={unit.status === 'active' ? 'success' : unit.status === 'inactive' ? 'default' : 'warning'} />
      </Stack>
      {unit.status === 'registering' ? <Alert severity="info">本单位正在注册审核中：请在待办事项的“用户权限申请”中完善信息并提交上级单位审核，审核通过后开放申报、经办功能。</Alert> : null}
      {unit.pendingParentName && unit.status === 'active' ? (
        <Alert severity="info">变更上级单位为“{unit.pendingParentName}”的申请正在等待该单位审核；审核通过前仍由“{unit.parentName ?? '原上级单位'}”管理。</Alert>
      ) : null}
      {unit.status === 'inactive' ? <Alert severity="warning">该单位已停用{unit.deactivatedReason ? `：${unit.deactivatedReason}` : ''}</Alert> : null}
      <Grid container spacing={2}>
        <DetailItem label="统一社会信用代码" value={unit.creditCode ? `${unit.creditCode}${unit.creditCodeDerived ? '（派生代码）' : ''}` : null} />
        <DetailItem label="上级单位" value={unit.parentName} />
        <DetailItem label="单位性质" value={unit.natureName} />
        <DetailItem label="职称业务归属地" value={unit.regionName} />
        <DetailItem label="联系电话" value={unit.phone} />
        <DetailItem label="单位地址" value={unit.address} />
        <DetailItem label="法定代表人" value={unit.legalRepName} />
        <DetailItem label="法定代表人联系电话" value={unit.legalRepPhone} />
        <DetailItem label="下级单位 / 工作人员" value={`${unit.childCount} 个 / ${unit.staffCount} 人`} />
      </Grid>
    </Stack>
  );
}
