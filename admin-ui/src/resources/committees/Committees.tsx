import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Box,
  Button as MuiButton,
  Card,
  CardContent,
  CardHeader,
  Chip,
  Grid,
  LinearProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { Button, CreateButton, Datagrid, Form, FunctionField, List, SelectInput, TextField, TextInput, Title, TopToolbar, useNotify, useRecordContext } from 'react-admin';
import { Link, useNavigate, useParams } from 'react-router-dom';
import DownloadIcon from '@mui/icons-material/Download';
import SendIcon from '@mui/icons-material/Send';
import EditIcon from '@mui/icons-material/Edit';
import VisibilityIcon from '@mui/icons-material/Visibility';
import { api, session } from '../../lib/api.ts';
import { downloadFrom, downloadFile } from '../../lib/download.ts';
import { formatDateTime } from '../../lib/format.ts';
import { FormFields } from '../../components/FormFields.tsx';
import { ServerSubmit } from '../../components/ServerSubmit.tsx';
import { DetailItem } from '../../components/DetailItem.tsx';
import type { ApiResponse } from '../../api-types.ts';
import { choicesOf, useLabels } from '../../lib/labels.ts';

/** A committee as the list gives it; the detail adds its filings. */
export type CommitteeRecord = ApiResponse<'/api/committees'>[number] & Partial<Pick<ApiResponse<'/api/committees/{id}'>, 'filings'>>;

const STATUS_COLOR: Record<string, 'default' | 'success' | 'warning' | 'error'> = { unfiled: 'default', filed: 'success', expired: 'error' };

function FilingStatus({ record }: { record: CommitteeRecord }) {
  return (
    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
      <Chip size="small" color={STATUS_COLOR[record.filingStatus] ?? 'default'} label={record.filingStatusName} />
      {record.openFiling ? <Chip size="small" color={record.openFiling.status === 'returned' ? 'warning' : 'info'} label={`备案${record.openFiling.statusName}`} /> : null}
      {record.refilingDue && !record.openFiling ? <Chip size="small" color="warning" variant="outlined" label="需重新备案" /> : null}
    </Stack>
  );
}

/** 发起备案: opens the 提交备案 task, where the request letter is uploaded. */
function useStartFiling() {
  const notify = useNotify();
  const navigate = useNavigate();
  return async (record: CommitteeRecord) => {
    if (record.openFiling) {
      const task = await api<Array<{ id: string; rootInstanceId: string }>>(`/api/tasks?filter=${encodeURIComponent(JSON.stringify({ q: record.name }))}`);
      const mine = task.find((t) => t.rootInstanceId === record.openFiling?.instanceId);
      if (mine) navigate(`/tasks/${mine.id}/handle`);
      else navigate(`/instances/${record.openFiling.instanceId}/view`);
      return;
    }
    try {
      const started = await api<{ taskId: string | null }>(`/api/committees/${record.id}/filings`, { method: 'POST' });
      notify('已发起备案申请，请上传核准备案请示后提交', { type: 'info' });
      if (started.taskId) navigate(`/tasks/${started.taskId}/handle`);
    } catch (err) {
      notify((err as Error).message, { type: 'error', multiLine: true });
    }
  };
}

function RowActions() {
  const record = useRecordContext<CommitteeRecord>();
  const navigate = useNavigate();
  const startFiling = useStartFiling();
  if (!record) return null;
  const canFile = record.openFiling != null || record.filingStatus !== 'filed' || record.refilingDue;
  return (
    <Stack direction="row" spacing={0.5} onClick={(e) => e.stopPropagation()}>
      <Button label="详情" onClick={() => navigate(`/committees/${record.id}/show`)}>
        <VisibilityIcon />
      </Button>
      <Button label="编辑" disabled={record.openFiling?.status === 'submitted'} onClick={() => navigate(`/committees/${record.id}`)}>
        <EditIcon />
      </Button>
      {canFile ? (
        <Button label={record.openFiling ? (record.openFiling.status === 'returned' ? '修改后重新提交' : '查看备案进度') : '备案申请'} onClick={() => void startFiling(record)}>
          <SendIcon />
        </Button>
      ) : null}
    </Stack>
  );
}

const filtersFor = (filingStatuses: Record<string, string>) => [
  <TextInput key="q" source="q" label="评委会名称" alwaysOn />,
  <SelectInput key="filingStatus" source="filingStatus" label="备案状态" alwaysOn choices={choicesOf(filingStatuses)} />,
];

function ListActions() {
  return (
    <TopToolbar>
      <CreateButton label="新增评委会" />
      <MuiButton size="small" startIcon={<DownloadIcon />} onClick={() => void downloadFrom('/api/committees/export', '评委会备案申报.xlsx')}>
        导出
      </MuiButton>
    </TopToolbar>
  );
}

/** 评委会备案申报: the committees the caller's unit organises (manual §1.2.2.1, 图 2.2.1). */
export function CommitteeList() {
  const { filingStatuses } = useLabels();
  return (
    <List title="评委会备案申报" filters={filtersFor(filingStatuses)} actions={<ListActions />} sort={{ field: 'id', order: 'DESC' }} empty={false}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="name" label="评委会名称" />
        <TextField source="seriesName" label="系列" sortable={false} />
        <FunctionField label="层级" render={(r: CommitteeRecord) => r.levelNames.join('、')} />
        <FunctionField label="备案状态" render={(r: CommitteeRecord) => <FilingStatus record={r} />} />
        <FunctionField label="有效期" render={(r: CommitteeRecord) => (r.validFrom ? `${r.validFrom} 至 ${r.validTo}` : '—')} />
        <FunctionField label="最近一次备案通过" render={(r: CommitteeRecord) => (r.lastApprovedAt ? formatDateTime(r.lastApprovedAt) : '—')} />
        <TextField source="issuerName" label="授权管理单位" sortable={false} />
        <TextField source="registrarName" label="备案单位" sortable={false} />
        <RowActions />
      </Datagrid>
    </List>
  );
}

const editable = (c: CommitteeRecord) => ({
  name: c.name,
  officeAgency: c.officeAgency,
  office: c.office,
  reviewType: c.reviewType,
  levels: c.levels,
  issuerUnitId: c.issuerUnitId,
  registrarUnitId: c.registrarUnitId,
  contactName: c.contactName,
  contactPhone: c.contactPhone,
  address: c.address,
  internal: c.internal,
  allowedNatures: c.allowedNatures,
  buildBy: c.buildBy,
  series: c.series,
  specialties: c.specialties,
  reviewRegions: c.reviewRegions,
  funded: c.funded,
  termYears: c.termYears,
});

const BASIC = ['name', 'officeAgency', 'office', 'reviewType', 'levels', 'issuerUnitId', 'registrarUnitId', 'contactName', 'contactPhone', 'address'];

/** 新增评委会 / 编辑: the form the API publishes (forms/committee.ts), in the manual's two parts. */
export function CommitteeForm({ record }: { record?: CommitteeRecord }) {
  const navigate = useNavigate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const user = session.user();
  const defaults = record ? editable(record) : { internal: user?.unitType === 'self_review_unit', funded: false, buildBy: 'series', termYears: 3, allowedNatures: [], specialties: [], reviewRegions: [] };
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={record ? `编辑评委会：${record.name}` : '新增评委会'} />
      <Form key={record?.version ?? 'new'} defaultValues={defaults}>
        <Stack spacing={2}>
          {record?.openFiling?.status === 'returned' ? <Alert severity="warning">备案申请已被退回，请按审核意见修改后在待办事项中重新提交。</Alert> : null}
          <Card>
            <CardHeader title="基本信息" subheader={`评委会组建单位：${record?.organizerName ?? user?.unitName ?? ''}（自动为本单位，不可修改）`} />
            <CardContent>
              <FormFields formKey="committee" omit={['internal', 'allowedNatures', 'buildBy', 'series', 'specialties', 'reviewRegions', 'funded', 'termYears']} />
            </CardContent>
          </Card>
          <Card>
            <CardHeader title="评审范围" />
            <CardContent>
              <FormFields formKey="committee" omit={BASIC} />
            </CardContent>
          </Card>
          <Stack direction="row" spacing={1}>
            <ServerSubmit
              label="保存"
              testId="committee-save"
              onSubmit={async (values) => {
                const saved = record
                  ? await api<CommitteeRecord>(`/api/committees/${record.id}`, { method: 'PUT', json: { ...values, version: record.version } })
                  : await api<CommitteeRecord>('/api/committees', { method: 'POST', json: values });
                notify(record ? '评委会信息已保存' : '评委会已新增，请在专家库中录入专家名单后申请备案', { type: 'success' });
                await queryClient.invalidateQueries();
                navigate(`/committees/${saved.id}/show`);
              }}
            />
            <MuiButton onClick={() => navigate('/committees')}>返回列表</MuiButton>
          </Stack>
        </Stack>
      </Form>
    </Box>
  );
}

export function CommitteeCreate() {
  return <CommitteeForm />;
}

export function CommitteeEdit() {
  const { id } = useParams<{ id: string }>();
  const { data, error } = useQuery({ queryKey: ['committee', id], queryFn: () => api<CommitteeRecord>(`/api/committees/${id}`) });
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!data) return <LinearProgress />;
  return <CommitteeForm record={data} />;
}


/** 查看详情: the committee's filing information and its filing history (图 2.2.9, 2.2.10). */
export function CommitteeShow() {
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const startFiling = useStartFiling();
  const [busy, setBusy] = useState(false);
  const { data: c, error } = useQuery({ queryKey: ['committee', id], queryFn: () => api<CommitteeRecord>(`/api/committees/${id}`) });
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!c) return <LinearProgress />;
  const organiser = Boolean(session.user()?.permissions.includes('committee.manage')) && c.organizerUnitId === session.user()?.unitId;
  const canFile = c.openFiling != null || c.filingStatus !== 'filed' || c.refilingDue;
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={c.name} />
      <Stack spacing={2}>
        <Card>
          <CardHeader
            title={c.name}
            subheader={<FilingStatus record={c} />}
            action={
              organiser ? (
                <Stack direction="row" spacing={1}>
                  <MuiButton disabled={c.openFiling?.status === 'submitted'} onClick={() => navigate(`/committees/${c.id}`)}>
                    编辑
                  </MuiButton>
                  <MuiButton component={Link} to={`/experts?committeeId=${c.id}`}>
                    专家库
                  </MuiButton>
                  {canFile ? (
                    <MuiButton
                      variant="contained"
                      disabled={busy}
                      onClick={() => {
                        setBusy(true);
                        void startFiling(c).finally(() => setBusy(false));
                      }}
                    >
                      {c.openFiling ? (c.openFiling.status === 'returned' ? '修改后重新提交' : '查看备案进度') : c.filingStatus === 'unfiled' ? '备案申请' : '重新备案'}
                    </MuiButton>
                  ) : null}
                </Stack>
              ) : null
            }
          />
          <CardContent>
            {c.refilingDue ? (
              <Alert severity="warning" sx={{ mb: 2 }}>
                {c.filingStatus === 'expired' ? '备案已过期，不能开展评审活动，请重新备案。' : `备案有效期至 ${c.validTo}，已进入届满前 2 个月，请开展重新备案。`}
              </Alert>
            ) : null}
            <Grid container spacing={2}>
              <DetailItem label="评委会办事机构">{c.officeAgency}</DetailItem>
              <DetailItem label="评委会办公室">{c.office}</DetailItem>
              <DetailItem label="评委会组建单位">{c.organizerName}</DetailItem>
              <DetailItem label="评审类型">{c.reviewTypeName}</DetailItem>
              <DetailItem label="评审级别">{c.levelNames.join('、')}</DetailItem>
              <DetailItem label="授权管理单位（发证机构）">{c.issuerName}</DetailItem>
              <DetailItem label="备案批复单位">{c.registrarName}</DetailItem>
              <DetailItem label="对外联系人">{c.contactName}</DetailItem>
              <DetailItem label="对外联系电话">{c.contactPhone}</DetailItem>
              <DetailItem label="联系地址">{c.address}</DetailItem>
              <DetailItem label="是否单位内部自主评审">{c.internal ? '是' : '否'}</DetailItem>
              <DetailItem label="申报人所在单位的单位性质">{c.allowedNatureNames.join('、') || '不限'}</DetailItem>
              <DetailItem label="组建方式">{c.buildByName}</DetailItem>
              <DetailItem label="评审系列">{c.seriesName}</DetailItem>
              <DetailItem label="评审专业">{c.specialties.join('、') || '本系列全部专业'}</DetailItem>
              <DetailItem label="评审区域">{c.reviewRegionNames.join('、') || (c.internal ? '本单位' : '')}</DetailItem>
              <DetailItem label="是否拨付经费">{c.funded ? '是' : '否'}</DetailItem>
              <DetailItem label="备案有效期">{c.validFrom ? `${c.validFrom} 至 ${c.validTo}（${c.termYears} 年）` : `备案通过后 ${c.termYears} 年`}</DetailItem>
              <DetailItem label="在库专家">{`${c.expertsInPool} 人`}</DetailItem>
            </Grid>
          </CardContent>
        </Card>
        <Card>
          <CardHeader title="备案审核记录" />
          <CardContent>
            {c.filings?.length ? (
              <Table size="small">
                <TableHead>
                  <TableRow>
                    <TableCell>提交时间</TableCell>
                    <TableCell>提交人</TableCell>
                    <TableCell>状态</TableCell>
                    <TableCell>专家人数</TableCell>
                    <TableCell>核准备案请示</TableCell>
                    <TableCell>审核时间</TableCell>
                    <TableCell>有效期</TableCell>
                    <TableCell>审核意见</TableCell>
                    <TableCell />
                  </TableRow>
                </TableHead>
                <TableBody>
                  {c.filings.map((f) => (
                    <TableRow key={f.id}>
                      <TableCell>{formatDateTime(f.submittedAt)}</TableCell>
                      <TableCell>{f.submittedByName ?? '—'}</TableCell>
                      <TableCell>{f.statusName}</TableCell>
                      <TableCell>{f.expertCount}</TableCell>
                      <TableCell>
                        {f.requestFiles.map((file) => (
                          <Chip key={file.id} size="small" label={file.name} onClick={() => void downloadFile(file.id, file.name)} sx={{ mr: 0.5 }} />
                        ))}
                      </TableCell>
                      <TableCell>{f.decidedAt ? formatDateTime(f.decidedAt) : '—'}</TableCell>
                      <TableCell>{f.validFrom ? `${f.validFrom} 至 ${f.validTo}` : '—'}</TableCell>
                      <TableCell>{f.opinion ?? '—'}</TableCell>
                      <TableCell>{f.instanceId ? <MuiButton size="small" onClick={() => navigate(`/instances/${f.instanceId}/view`)}>流程</MuiButton> : null}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            ) : (
              <Typography color="text.secondary">尚未申请备案</Typography>
            )}
          </CardContent>
        </Card>
      </Stack>
    </Box>
  );
}
