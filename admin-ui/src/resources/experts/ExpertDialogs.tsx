import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Box,
  Button as MuiButton,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Divider,
  Grid,
  LinearProgress,
  Stack,
  TextField as MuiTextField,
  Typography,
} from '@mui/material';
import { Form, ResourceContextProvider, useNotify, useRefresh } from 'react-admin';
import { useWatch } from 'react-hook-form';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { fieldsOf } from '../../lib/schema.ts';
import { inputFor } from '../../components/inputFor.tsx';
import { useFormSchema } from '../../components/FormFields.tsx';
import { ServerSubmit } from '../../components/ServerSubmit.tsx';
import { withoutEmpty } from '../org/UnitDetails.tsx';
import type { ExpertDetail, ExpertRecord } from './types.ts';
import { DetailItem } from '../../components/DetailItem.tsx';
import type { ApiResponse } from '../../api-types.ts';

type IdInfo = ApiResponse<'/api/experts/id-info'>;

/** 性别、出生日期、年龄 as the API derives them from the ID number being typed. */
function IdFacts() {
  const idNumber = String(useWatch({ name: 'idNumber' }) ?? '').trim();
  const ready = idNumber.length === 18;
  const { data } = useQuery({
    queryKey: ['expert-id-info', idNumber],
    queryFn: () => api<IdInfo>(`/api/experts/id-info?idNumber=${encodeURIComponent(idNumber)}`),
    enabled: ready,
    staleTime: 60_000,
  });
  const shown = ready && data;
  return (
    <Stack direction="row" spacing={3} sx={{ mb: 2, px: 1.5, py: 1, bgcolor: 'action.hover', borderRadius: 1 }} data-testid="id-facts">
      <Typography variant="body2">性别：{shown && data.valid ? data.sexName : '—'}</Typography>
      <Typography variant="body2">出生日期：{shown && data.valid ? data.birthMonth : '—'}</Typography>
      <Typography variant="body2">年龄：{shown && data.valid ? data.age : '—'}</Typography>
      {shown && !data.valid ? (
        <Typography variant="body2" color="error">
          证件号码{data.reason}
        </Typography>
      ) : null}
    </Stack>
  );
}

function ExpertInputs({ omit }: { omit: string[] }) {
  const { data } = useFormSchema('expert');
  if (!data) return <LinearProgress />;
  // sex and birth month come from the ID number: shown, not typed
  const fields = fieldsOf(data).filter((f) => f.name !== 'sex' && f.name !== 'birthMonth' && !omit.includes(f.name));
  const [first, second, ...rest] = fields;
  return (
    <>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        国别：中国；证件类型：居民身份证（户口簿）
      </Typography>
      {[first, second].filter((f) => f !== undefined).map((f) => inputFor(f.name, f.schema, f.required))}
      <IdFacts />
      {rest.map((f) => inputFor(f.name, f.schema, f.required))}
    </>
  );
}

const NEW_EXPERT = { retired: false, isChair: false, isViceChair: false, active: true };

function valuesOf(r: ExpertRecord) {
  return withoutEmpty({
    name: r.name,
    idNumber: r.idNumber,
    retired: r.retired,
    employer: r.employer,
    department: r.department,
    post: r.post,
    postLevel: r.postLevel,
    phone1: r.phone1,
    phone2: r.phone2,
    honours: r.honours,
    series: r.series,
    specialty: r.specialty,
    currentTitle: r.currentTitle,
    isChair: r.isChair,
    isViceChair: r.isViceChair,
    active: r.active,
    regionCode: r.regionCode,
  });
}

export type ExpertDialogMode = 'create' | 'recommend' | 'edit';

/** 新增专家信息 / 推荐专家 / 修改: the form the API publishes under the key "expert". */
export function ExpertDialog({
  open,
  onClose,
  mode,
  committeeId,
  record,
  omit = [],
}: {
  open: boolean;
  onClose: () => void;
  mode: ExpertDialogMode;
  committeeId: number;
  record?: ExpertRecord;
  omit?: string[];
}) {
  const notify = useNotify();
  const refresh = useRefresh();
  // the list shows ID and phone numbers masked: editing starts from the full record (an audited view)
  const { data: full } = useQuery({ queryKey: ['expert', record?.id], queryFn: () => api<ExpertDetail>(`/api/experts/${record!.id}`), enabled: open && mode === 'edit' && record != null });
  const waiting = mode === 'edit' && record != null && !full;
  const title = mode === 'edit' ? `修改专家信息：${record?.name ?? ''}` : mode === 'recommend' ? '推荐专家' : '新增专家信息';
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>{title}</DialogTitle>
      <ResourceContextProvider value="experts">
        {waiting ? null : (
        <Form key={full ? `full-${full.id}` : 'new'} defaultValues={record ? valuesOf(full ?? record) : NEW_EXPERT}>
          <DialogContent dividers>
            {record?.returnedReason ? (
              <Alert severity="warning" sx={{ mb: 2 }}>
                {record.returnedStageName}：{record.returnedReason}
              </Alert>
            ) : null}
            <ExpertInputs omit={omit} />
          </DialogContent>
          <DialogActions>
            <MuiButton onClick={onClose}>取消</MuiButton>
            <ServerSubmit
              label={mode === 'recommend' ? '推荐' : mode === 'edit' ? '保存' : '新增专家信息'}
              testId="save-expert"
              onSubmit={async (values) => {
                const body = withoutEmpty(values);
                if (mode === 'edit' && record) {
                  await api(`/api/experts/${record.id}`, { method: 'PUT', json: { ...body, version: record.version } });
                  notify('已保存', { type: 'success' });
                } else {
                  const path = mode === 'recommend' ? 'recommendations' : 'experts';
                  await api(`/api/expert-pools/${committeeId}/${path}`, { method: 'POST', json: body });
                  notify(mode === 'recommend' ? '已推荐，等待评委会组建单位审核' : '已新增，提交后由备案单位审核', { type: 'success' });
                }
                onClose();
                refresh();
              }}
            />
          </DialogActions>
        </Form>
        )}
      </ResourceContextProvider>
    </Dialog>
  );
}


const yesNo = (b: boolean) => (b ? '是' : '否');

/** 查看专家信息 with its 办理记录. */
export function ExpertDetailDialog({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { data, isLoading } = useQuery({ queryKey: ['expert', id], queryFn: () => api<ExpertDetail>(`/api/experts/${id}`), enabled: id != null });
  return (
    <Dialog open={id != null} onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>查看专家信息</DialogTitle>
      <DialogContent dividers>
        {isLoading || !data ? (
          <LinearProgress />
        ) : (
          <>
            <Stack direction="row" spacing={1} sx={{ mb: 2 }}>
              <Chip label={data.statusName} color={data.status === 'in_pool' ? 'success' : data.status === 'returned' ? 'warning' : 'default'} />
              {data.isChair ? <Chip label="主任委员" color="primary" variant="outlined" /> : null}
              {data.isViceChair ? <Chip label="副主任委员" color="primary" variant="outlined" /> : null}
              {data.active ? null : <Chip label="不活跃" variant="outlined" />}
            </Stack>
            {data.returnedReason ? (
              <Alert severity="warning" sx={{ mb: 2 }}>
                {data.returnedStageName}（{data.returnedByUnitName}）：{data.returnedReason}
              </Alert>
            ) : null}
            <Typography variant="subtitle2" sx={{ mb: 1 }}>
              基本信息
            </Typography>
            <Grid container spacing={2}>
              <DetailItem label="国别" value="中国" />
              <DetailItem label="姓名" value={data.name} />
              <DetailItem label="证件类型" value="居民身份证（户口簿）" />
              <DetailItem label="证件号码" value={data.idNumber} />
              <DetailItem label="性别" value={data.sexName} />
              <DetailItem label="出生日期" value={data.birthMonth} />
              <DetailItem label="年龄" value={data.age} />
              <DetailItem label="是否退休" value={data.retired ? '已退休' : '未退休'} />
              <DetailItem label="工作单位" value={data.employer} />
              <DetailItem label="主管单位" value={data.department} />
              <DetailItem label="行政职务" value={data.post} />
              <DetailItem label="行政职务级别" value={data.postLevelName} />
              <DetailItem label="联系电话1" value={data.phone1} />
              <DetailItem label="联系电话2" value={data.phone2} />
              <DetailItem label="所在地区" value={data.regionName} />
              <Grid size={12}>
                <Typography variant="caption" color="text.secondary">
                  所获荣誉、称号
                </Typography>
                <Typography sx={{ whiteSpace: 'pre-wrap' }}>{data.honours}</Typography>
              </Grid>
            </Grid>
            <Divider sx={{ my: 2 }} />
            <Typography variant="subtitle2" sx={{ mb: 1 }}>
              专业技术人员职称信息
            </Typography>
            <Grid container spacing={2}>
              <DetailItem label="现专业技术系列" value={data.seriesName} />
              <DetailItem label="现从事专业" value={data.specialty} />
              <DetailItem label="现职称" value={data.currentTitle} />
              <DetailItem label="主任委员" value={yesNo(data.isChair)} />
              <DetailItem label="副主任委员" value={yesNo(data.isViceChair)} />
              <DetailItem label="是否活跃" value={yesNo(data.active)} />
              <DetailItem label="推荐单位" value={data.recommendedByUnitName} />
            </Grid>
            <Divider sx={{ my: 2 }} />
            <Typography variant="subtitle2" sx={{ mb: 1 }}>
              办理记录
            </Typography>
            <Stack spacing={1}>
              {data.events.length ? null : <Typography color="text.secondary">暂无办理记录</Typography>}
              {data.events.map((e, i) => (
                <Box key={i} sx={{ borderLeft: 3, borderColor: 'divider', pl: 1.5 }}>
                  <Typography variant="body2">
                    {[formatDateTime(e.createdAt), e.actionName, e.actorName].filter(Boolean).join(' · ')}
                  </Typography>
                  {e.opinion ? (
                    <Typography variant="body2" color="text.secondary">
                      {e.opinion}
                    </Typography>
                  ) : null}
                </Box>
              ))}
            </Stack>
          </>
        )}
      </DialogContent>
      <DialogActions>
        <MuiButton onClick={onClose}>关闭</MuiButton>
      </DialogActions>
    </Dialog>
  );
}

/** 通过 / 退回 with an opinion (required to return). */
export function DecisionDialog({
  open,
  title,
  action,
  count,
  onClose,
  onConfirm,
}: {
  open: boolean;
  title: string;
  action: 'pass' | 'return';
  count: number;
  onClose: () => void;
  onConfirm: (opinion: string | null) => Promise<void>;
}) {
  const [opinion, setOpinion] = useState('');
  const [busy, setBusy] = useState(false);
  const notify = useNotify();
  const needed = action === 'return';
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <Typography sx={{ mb: 2 }}>
          共 {count} 名专家{action === 'pass' ? '，确认通过？' : '，请填写退回原因。'}
        </Typography>
        <MuiTextField
          label={needed ? '退回原因' : '审核意见（可不填）'}
          required={needed}
          value={opinion}
          onChange={(e) => setOpinion(e.target.value)}
          multiline
          minRows={3}
          fullWidth
          slotProps={{ htmlInput: { maxLength: 500 } }}
        />
      </DialogContent>
      <DialogActions>
        <MuiButton onClick={onClose}>取消</MuiButton>
        <MuiButton
          variant="contained"
          color={needed ? 'warning' : 'primary'}
          disabled={busy || (needed && !opinion.trim())}
          onClick={async () => {
            setBusy(true);
            try {
              await onConfirm(opinion.trim() || null);
              setOpinion('');
              onClose();
            } catch (err) {
              notify((err as Error).message, { type: 'error', multiLine: true });
            } finally {
              setBusy(false);
            }
          }}
        >
          {needed ? '退回' : '通过'}
        </MuiButton>
      </DialogActions>
    </Dialog>
  );
}
