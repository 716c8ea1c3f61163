import { Alert, AlertTitle, Chip, Stack, Typography } from '@mui/material';
import { formatDate } from '../../lib/format.ts';
import type { MyDossier } from './types.ts';
import { DossierCertificate } from '../certificate-documents/index.ts';

export type DossierResultView = NonNullable<MyDossier['result']>;

const severityOf = (code: string) => (code === 'passed' ? 'success' : code === 'abandoned' ? 'warning' : 'error');

/** 评审结果 in a line of 我的申报: what it is, when, why, the 职称文件文号 of a pass and its certificate. */
export function ResultLine({ result, dossierId }: { result: DossierResultView; dossierId?: number }) {
  return (
    <Stack spacing={0.25} data-testid="dossier-result">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
        <Chip size="small" label={`评审结果：${result.label}`} color={severityOf(result.code)} />
        <Typography variant="caption" color="text.secondary">
          {formatDate(result.at)}
        </Typography>
      </Stack>
      {result.documentNo ? <Typography variant="body2">职称文件文号：{result.documentNo}</Typography> : null}
      {dossierId && result.certificateNo ? <DossierCertificate dossierId={dossierId} certificateNo={result.certificateNo} /> : null}
      {result.reason ? (
        <Typography variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere' }}>
          原因：{result.reason}
        </Typography>
      ) : null}
    </Stack>
  );
}

/** 评审结果 on 申报详情 (the applicant's and the staff's). */
export function ResultAlert({ result, dossierId }: { result: DossierResultView; dossierId?: number }) {
  return (
    <Alert severity={severityOf(result.code)} sx={{ mb: 1 }} data-testid="dossier-result">
      <AlertTitle>评审结果：{result.label}</AlertTitle>
      {formatDate(result.at)}
      {result.stageLabel ? `（${result.stageLabel}）` : ''}
      {result.documentNo ? `，职称文件文号：${result.documentNo}` : ''}
      {result.reason ? <Typography variant="body2">原因：{result.reason}</Typography> : null}
      {dossierId && result.certificateNo ? <DossierCertificate dossierId={dossierId} certificateNo={result.certificateNo} /> : null}
    </Alert>
  );
}
