import { Chip, Stack, Table, TableBody, TableCell, TableRow, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import type { ApiResponse } from '../../api-types.ts';
import { PiiReveal } from '../../components/PiiReveal.tsx';

export type Talent = ApiResponse<'/api/talents/{id}'>;
export type TalentOptions = ApiResponse<'/api/talents/options'>;

const STATUS_COLORS: Record<Talent['status'], 'default' | 'info' | 'warning' | 'success' | 'error'> = { draft: 'default', reviewing: 'info', returned: 'warning', approved: 'success', rejected: 'error' };

export function StatusChip({ talent }: { talent: Pick<Talent, 'status' | 'statusLabel'> }) {
  return <Chip size="small" color={STATUS_COLORS[talent.status]} label={talent.statusLabel} data-testid="talent-status" />;
}

/** 审核路径: each reviewing unit, the one it waits at marked. */
export function AuditPath({ talent }: { talent: Talent }) {
  if (!talent.auditPath.length) return null;
  return (
    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
      <Typography variant="body2" color="text.secondary">
        审核路径：
      </Typography>
      {talent.auditPath.map((p, i) => (
        <Chip key={p.unitId} size="small" variant={p.unitId === talent.currentUnitId ? 'filled' : 'outlined'} color={p.unitId === talent.currentUnitId ? 'primary' : 'default'} label={`${i + 1}. ${p.name}`} />
      ))}
    </Stack>
  );
}

/** The registration as read by a reviewer. */
export function TalentDetails({ talent }: { talent: Talent }) {
  const title = talent.titleKind === 'title' ? `${talent.levelLabel ?? ''}（${talent.seriesLabel ?? ''}${talent.titleName ? `，${talent.titleName}` : ''}）` : talent.titleKind === 'certificate' ? `只具有职业资格证书：${talent.certificateName ?? ''}` : '其他人员';
  const rows: Array<[string, ReactNode]> = [
    ['姓名', talent.personName],
    ['所在单位', talent.unitName],
    ['性别', talent.genderLabel],
    ['出生日期', talent.birthDate],
    ['证件号码', <PiiReveal key="id" text={talent.idNumber} url={`/api/talents/${talent.id}/pii?field=idNumber`} testId="talent-id-number-view" />],
    ['民族', talent.ethnicity],
    ['政治面貌', talent.politicalStatusLabel],
    ['人员身份', talent.originLabel],
    ['学历', talent.educationLabel],
    ['专业技术人员类别', talent.categoryLabel],
    ['职称情况', title],
  ];
  return (
    <Table size="small">
      <TableBody>
        {rows.map(([label, value]) => (
          <TableRow key={label}>
            <TableCell sx={{ width: 160, color: 'text.secondary' }}>{label}</TableCell>
            <TableCell>{value}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
