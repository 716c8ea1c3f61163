import { Box, Chip, Stack, Typography } from '@mui/material';
import type { ApiResponse } from '../../api-types.ts';
import type { ReactNode } from 'react';
import { downloadFile } from '../../lib/download.ts';
import { PiiReveal } from '../../components/PiiReveal.tsx';

export type Recognition = ApiResponse<'/api/my/title-recognitions'>[number];
export type RecognitionOptions = ApiResponse<'/api/title-recognitions/options'>;

const COLORS: Record<Recognition['status'], 'info' | 'warning' | 'success' | 'error'> = { reviewing: 'info', returned: 'warning', confirmed: 'success', rejected: 'error' };

export function StatusChip({ r }: { r: Recognition }) {
  return <Chip size="small" color={COLORS[r.status]} label={r.statusLabel} data-testid={`status-${r.id}`} />;
}

/** 审核路径: the units in turn, the current one marked. */
export function RecognitionPath({ r }: { r: Recognition }) {
  return (
    <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap', alignItems: 'center' }} useFlexGap>
      {r.auditPath.map((p, i) => (
        <Stack key={p.unitId} direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
          {i > 0 ? <Typography variant="body2">→</Typography> : null}
          <Chip size="small" variant={p.unitId === r.currentUnitId ? 'filled' : 'outlined'} color={p.unitId === r.currentUnitId ? 'primary' : 'default'} label={p.unitId === r.confirmUnitId ? `${p.name}（确认）` : p.name} />
        </Stack>
      ))}
    </Stack>
  );
}

/** What the person filled in, as the reviewers read it. */
export function RecognitionFacts({ r }: { r: Recognition }) {
  const rows: Array<[string, ReactNode]> = [
    ['姓名', r.personName],
    ['身份证号码', <PiiReveal key="id" text={r.idNumber} url={`/api/title-recognitions/${r.id}/pii?field=idNumber`} testId="recognition-id-number-view" />],
    ['所在单位', r.unitName],
    ['职称系列', r.seriesLabel],
    ['专业', r.specialty],
    ['职称名称', r.titleName],
    ['层级', r.levelLabel],
    ['取得方式', r.acquisitionLabel],
    ['原评审机构', r.originalBody],
    ['取得时间', r.obtainedDate],
    ['原发文文号', r.originalDocumentNo],
    ['申请理由', r.reason],
  ];
  return (
    <Box>
      <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: { xs: '6.5em 1fr', sm: '7em 1fr' }, columnGap: 2, rowGap: 0.5, m: 0 }}>
        {rows.map(([k, v]) => (
          <Box key={k} sx={{ display: 'contents' }}>
            <Typography component="dt" variant="body2" color="text.secondary">
              {k}
            </Typography>
            <Typography component="dd" variant="body2" sx={{ m: 0, wordBreak: 'break-all' }}>
              {v}
            </Typography>
          </Box>
        ))}
      </Box>
      <Stack direction="row" spacing={1} sx={{ mt: 1, flexWrap: 'wrap' }} useFlexGap>
        <Chip size="small" clickable label="职称证书扫描件" onClick={() => void downloadFile(r.certificateFileId, '职称证书扫描件')} />
        <Chip size="small" clickable label="任职资格文件" onClick={() => void downloadFile(r.qualificationFileId, '任职资格文件')} />
      </Stack>
    </Box>
  );
}
