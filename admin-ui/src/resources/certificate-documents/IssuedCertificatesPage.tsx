import { useEffect, useState } from 'react';
import { Alert, Button as MuiButton, Chip, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField as MuiTextField } from '@mui/material';
import { Button, Datagrid, DateInput, FilterButton, FunctionField, List, SelectInput, TextField, TextInput, TopToolbar, useListContext, useNotify, useRefresh } from 'react-admin';
import { useNavigate, useSearchParams } from 'react-router-dom';
import DownloadIcon from '@mui/icons-material/Download';
import { api } from '../../lib/api.ts';
import { downloadFrom } from '../../lib/download.ts';
import { KIND_CHOICES, type Certificate } from './types.ts';

const filterParam = (values: Record<string, unknown> | undefined) => encodeURIComponent(JSON.stringify(values ?? {}));

function ListActions() {
  const [busy, setBusy] = useState(false);
  const notify = useNotify();
  const { filterValues } = useListContext();
  return (
    <TopToolbar>
      <FilterButton />
      <Button
        label="导出 Excel"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await downloadFrom(`/api/certificates/export?filter=${filterParam(filterValues)}`, '已发放证书.xlsx');
          } catch (err) {
            notify((err as Error).message, { type: 'error' });
          } finally {
            setBusy(false);
          }
        }}
      >
        <DownloadIcon />
      </Button>
    </TopToolbar>
  );
}

const filters = [
  <TextInput key="q" source="q" label="姓名（开头）/证书编号/身份证号码（精确查询）" sx={{ minWidth: 400 }} alwaysOn />,
  <SelectInput key="kind" source="kind" label="取得方式" choices={KIND_CHOICES} alwaysOn />,
  <TextInput key="documentNo" source="documentNo" label="文号" />,
  <DateInput key="from" source="from" label="批准日期（起）" />,
  <DateInput key="to" source="to" label="批准日期（止）" />,
  <SelectInput key="status" source="status" label="状态" choices={[{ id: 'valid', name: '有效' }, { id: 'revoked', name: '已撤销' }]} />,
];

/** 撤销证书: the reason is required; the list shows 已撤销 afterwards. */
function RevokeDialog({ certificate, onClose }: { certificate: Certificate; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const notify = useNotify();
  const refresh = useRefresh();
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/certificates/${certificate.id}/revoke`, { method: 'POST', json: { reason } });
      notify(`证书 ${certificate.certificateNo} 已撤销`, { type: 'success' });
      refresh();
      onClose();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>撤销证书</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          撤销后，{certificate.personName}的证书（{certificate.certificateNo}）在核验页面显示“已撤销”，不能恢复。
        </Alert>
        {error ? <Alert severity="error" sx={{ mb: 2 }}>{error}</Alert> : null}
        <MuiTextField label="撤销原因" value={reason} onChange={(e) => setReason(e.target.value)} required fullWidth multiline minRows={3} slotProps={{ htmlInput: { 'data-testid': 'revoke-reason', maxLength: 500 } }} />
      </DialogContent>
      <DialogActions>
        <MuiButton onClick={onClose}>取消</MuiButton>
        <MuiButton color="error" variant="contained" disabled={busy || !reason.trim()} onClick={submit} data-testid="revoke-confirm">
          确认撤销
        </MuiButton>
      </DialogActions>
    </Dialog>
  );
}

function RowActions({ record, onRevoke }: { record: Certificate; onRevoke: (c: Certificate) => void }) {
  const notify = useNotify();
  const fail = (err: Error) => notify(err.message, { type: 'error' });
  return (
    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
      <MuiButton size="small" onClick={() => downloadFrom(`/api/certificates/${record.id}/pdf`, `职称证书-${record.personName}-${record.certificateNo}.pdf`).catch(fail)}>
        查看证书
      </MuiButton>
      {record.sourceType === 'dossier' ? (
        <MuiButton size="small" onClick={() => downloadFrom(`/api/certificates/${record.id}/review-form.pdf`, `评审表-${record.personName}-${record.certificateNo}.pdf`).catch(fail)}>
          下载评审表
        </MuiButton>
      ) : null}
      {record.status === 'valid' ? (
        <MuiButton size="small" color="error" onClick={() => onRevoke(record)} data-testid={`revoke-${record.certificateNo}`}>
          撤销证书
        </MuiButton>
      ) : null}
    </Stack>
  );
}

/**
 * 电子证书 → 已发放: the certificates the caller's unit issued. Generic on purpose: the issuance
 * pages link here with the kind in the URL (`/certificates?kind=review`).
 */
export function IssuedCertificatesPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [revoking, setRevoking] = useState<Certificate | null>(null);
  const kind = params.get('kind');
  // `?kind=review` from another page becomes react-admin's own filter parameter
  useEffect(() => {
    if (kind) navigate(`/certificates?filter=${filterParam({ kind })}`, { replace: true });
  }, [kind, navigate]);
  if (kind) return null;
  return (
    <>
      <List resource="certificates" title="已发放证书" perPage={25} sort={{ field: 'issuedAt', order: 'DESC' }} actions={<ListActions />} filters={filters} empty={false} storeKey={false}>
        <Datagrid bulkActionButtons={false} rowClick={false} data-testid="issued-certificates">
          <TextField source="certificateNo" label="证书编号" sortable={false} />
          <TextField source="personName" label="姓名" sortable={false} />
          <TextField source="idNumber" label="身份证号" sortable={false} />
          <FunctionField label="职称（专业）" render={(r: Certificate) => `${r.titleName}（${r.level}）· ${r.specialty}`} />
          <TextField source="kindLabel" label="取得方式" sortable={false} sx={{ whiteSpace: 'nowrap' }} />
          <TextField source="approvalDate" label="批准时间" sortable={false} sx={{ whiteSpace: 'nowrap' }} />
          <TextField source="documentNo" label="文号" sortable={false} />
          <FunctionField label="状态" render={(r: Certificate) => <Chip size="small" label={r.statusLabel} color={r.status === 'valid' ? 'success' : 'warning'} title={r.revokeReason ?? undefined} />} />
          <FunctionField label="操作" render={(r: Certificate) => <RowActions record={r} onRevoke={setRevoking} />} />
        </Datagrid>
      </List>
      {revoking ? <RevokeDialog certificate={revoking} onClose={() => setRevoking(null)} /> : null}
    </>
  );
}
