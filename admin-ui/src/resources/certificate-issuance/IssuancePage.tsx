import { useEffect, useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  LinearProgress,
  List,
  ListItemButton,
  ListItemText,
  MenuItem,
  Stack,
  Step,
  StepLabel,
  Stepper,
  Tab,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tabs,
  TextField,
  Typography,
} from '@mui/material';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Title } from 'react-admin';
import { Link, useSearchParams } from 'react-router-dom';
import type { ApiResponse } from '../../api-types.ts';
import { api, fieldErrors } from '../../lib/api.ts';
import { ListPager, NameFilter, usePagedArray, usePaging } from '../../lib/paging.tsx';
import { downloadFrom } from '../../lib/download.ts';
import { FileLink, ReasonDialog, UploadButton, uploadOne, useRun } from '../result-confirmation/shared.tsx';

type Kind = 'review' | 'initial' | 'delegated';
type Group = ApiResponse<'/api/certificate-issuance/{kind}/pending'>[number];
type Batch = ApiResponse<'/api/certificate-issuance/{kind}/batches'>[number];
type Detail = ApiResponse<'/api/certificate-issuance/batches/{batchId}'>;
type Certificate = ApiResponse<'/api/certificate-issuance/batches/{batchId}/certificates'>[number];
type InitialPerson = ApiResponse<'/api/certificate-issuance/initial/persons'>[number];

/** The three tabs of each kind, in the manual's words. */
const TABS: Record<Kind, [string, string, string]> = {
  review: ['待处理', '待发放', '已发放'],
  delegated: ['未处理', '待发证', '已发放'],
  initial: ['未发放', '发放中', '已发放'],
};
const KIND_LABELS: Record<Kind, string> = { review: '评审发证', delegated: '委托发证', initial: '初定发证' };

/**
 * 证书生成 (manual §1.2.8.1): 评审发证 (授权管理单位), 委托发证 (委托单位), 初定发证 (人社部门). Every
 * rule is the API's; the page shows its lists and refusals.
 */
export function IssuancePage() {
  const [params, setParams] = useSearchParams();
  const kind = (params.get('kind') as Kind | null) ?? 'review';
  const tab = Number(params.get('tab') ?? 0);
  const go = (next: { kind?: Kind; tab?: number }) => setParams({ kind: next.kind ?? kind, tab: String(next.tab ?? 0) });
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="证书生成" />
      <Tabs value={kind} onChange={(_, v: Kind) => go({ kind: v })}>
        {(['review', 'delegated', 'initial'] as Kind[]).map((k) => (
          <Tab key={k} value={k} label={KIND_LABELS[k]} data-testid={`kind-${k}`} />
        ))}
      </Tabs>
      <Tabs value={tab} onChange={(_, v: number) => go({ tab: v })} sx={{ mb: 2 }}>
        {TABS[kind].map((label, i) => (
          <Tab key={label} value={i} label={label} data-testid={`tab-${i}`} />
        ))}
      </Tabs>
      {tab === 0 && kind !== 'initial' ? <PendingHandovers kind={kind} onDone={() => go({ tab: 1 })} /> : null}
      {tab === 0 && kind === 'initial' ? <InitialPersons onDone={() => go({ tab: 1 })} /> : null}
      {tab === 1 ? <Batches kind={kind} tab="pending" /> : null}
      {tab === 2 ? <Batches kind={kind} tab="issued" /> : null}
    </Box>
  );
}

function Loading({ error, empty, data }: { error: unknown; empty: string; data: unknown[] | undefined }) {
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!data) return <LinearProgress />;
  if (!data.length) return <Alert severity="info">{empty}</Alert>;
  return null;
}

/** 待处理 / 未处理: the committee's hand-overs, grouped; 审核通过 or 录入发证信息 for the selected. */
function PendingHandovers({ kind, onDone }: { kind: 'review' | 'delegated'; onDone: () => void }) {
  const { data, error, refetch } = useQuery({ queryKey: ['issuance-pending', kind], queryFn: () => api<Group[]>(`/api/certificate-issuance/${kind}/pending`) });
  const run = useRun(refetch);
  const [selected, setSelected] = useState<number[]>([]);
  const [entering, setEntering] = useState(false);
  const toggle = (id: number) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  return (
    <Stack spacing={2}>
      <Loading error={error} data={data} empty={kind === 'review' ? '没有待处理的发证信息' : '没有未处理的委托评审人员'} />
      {(data ?? []).map((g) => {
        const ids = g.persons.map((p) => p.dossierId);
        const all = ids.every((id) => selected.includes(id));
        return (
          <Card key={g.key} data-testid={`group-${g.key}`}>
            <CardHeader
              title={kind === 'review' ? `${g.committeeName} · ${g.meetingName}` : g.committeeName}
              subheader={`共 ${g.persons.length} 人`}
              action={
                <Stack direction="row" spacing={1}>
                  <Button size="small" onClick={() => setSelected((s) => (all ? s.filter((x) => !ids.includes(x)) : [...new Set([...s, ...ids])]))}>
                    {all ? '取消全选' : '全选'}
                  </Button>
                  {kind === 'review' ? (
                    <Button
                      size="small"
                      variant="contained"
                      data-testid="approve"
                      disabled={!ids.some((id) => selected.includes(id))}
                      onClick={async () => {
                        if (await run(() => api('/api/certificate-issuance/review/approve', { method: 'POST', json: { dossierIds: ids.filter((id) => selected.includes(id)) } }), '审核通过，已按文号进入待发放')) {
                          setSelected([]);
                          onDone();
                        }
                      }}
                    >
                      审核通过
                    </Button>
                  ) : (
                    <Button size="small" variant="contained" data-testid="enter-data" disabled={!ids.some((id) => selected.includes(id))} onClick={() => setEntering(true)}>
                      录入发证信息
                    </Button>
                  )}
                </Stack>
              }
            />
            <CardContent sx={{ overflowX: 'auto' }}>
              <Table size="small">
                <TableHead>
                  <TableRow>
                    <TableCell padding="checkbox" />
                    <TableCell>姓名</TableCell>
                    <TableCell>身份证号</TableCell>
                    <TableCell>工作单位</TableCell>
                    <TableCell>系列 / 专业 / 层级</TableCell>
                    <TableCell>职称</TableCell>
                    <TableCell>{kind === 'review' ? '职称文件文号' : '评委会文号'}</TableCell>
                    <TableCell>批准时间</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {g.persons.map((p) => (
                    <TableRow key={p.dossierId} data-testid={`handover-${p.dossierId}`}>
                      <TableCell padding="checkbox">
                        <Checkbox size="small" checked={selected.includes(p.dossierId)} onChange={() => toggle(p.dossierId)} slotProps={{ input: { 'aria-label': `选择${p.personName}` } }} />
                      </TableCell>
                      <TableCell>{p.personName}</TableCell>
                      <TableCell>{p.idNumber}</TableCell>
                      <TableCell>{p.employer}</TableCell>
                      <TableCell>{[p.series, p.specialty, p.level].filter(Boolean).join(' / ')}</TableCell>
                      <TableCell>{p.titleName}</TableCell>
                      <TableCell>{p.documentNo}</TableCell>
                      <TableCell>{p.approvalDate}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        );
      })}
      <IssuingDataDialog
        open={entering}
        title={`录入发证信息（${selected.length} 人）`}
        onClose={() => setEntering(false)}
        onSubmit={async (body) => {
          await api('/api/certificate-issuance/delegated/batches', { method: 'POST', json: { ...body, dossierIds: selected } });
          setSelected([]);
          setEntering(false);
          await refetch();
          onDone();
        }}
      />
    </Stack>
  );
}

/** 批准时间 and 职称文件文号; the API's 400 is shown on its field. */
function IssuingDataDialog(props: { open: boolean; title: string; onClose: () => void; onSubmit: (body: { documentNo: string; approvalDate: string }) => Promise<void> }) {
  const [documentNo, setDocumentNo] = useState('');
  const [approvalDate, setApprovalDate] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="sm">
      <DialogTitle>{props.title}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField label="批准时间" type="date" value={approvalDate} onChange={(e) => setApprovalDate(e.target.value)} slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'approval-date' } }} error={!!errors.approvalDate} helperText={errors.approvalDate} />
          <TextField label="职称文件文号" placeholder="如：川人社职〔2026〕12号" value={documentNo} onChange={(e) => setDocumentNo(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'document-no' } }} error={!!errors.documentNo} helperText={errors.documentNo ?? '格式 X〔YYYY〕N号，年份与批准时间一致'} />
          {message ? <Alert severity="error">{message}</Alert> : null}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>取消</Button>
        <Button
          variant="contained"
          data-testid="issuing-data-save"
          onClick={async () => {
            try {
              setErrors({});
              setMessage(null);
              await props.onSubmit({ documentNo, approvalDate });
            } catch (err) {
              setErrors(fieldErrors(err));
              setMessage((err as Error).message);
            }
          }}
        >
          保存
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** 未发放: 初定 persons entered one by one or imported; 添加批次 for the selected. */
function InitialPersons({ onDone }: { onDone: () => void }) {
  const paging = usePaging();
  const { data: page, error, refetch } = usePagedArray<InitialPerson>(['issuance-initial'], '/api/certificate-issuance/initial/persons', paging);
  const data = page?.rows;
  const run = useRun(refetch);
  const [selected, setSelected] = useState<number[]>([]);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<InitialPerson | null>(null);
  return (
    <Card>
      <CardHeader
        title="初定人员（未发放）"
        subheader="初定人员不经本系统申报，由人社部门逐个录入或按模板导入"
        action={
          <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }} useFlexGap>
            <Button size="small" onClick={() => setAdding(true)} data-testid="add-person">
              录入人员
            </Button>
            <Button size="small" onClick={() => run(() => downloadFrom('/api/certificate-issuance/initial/template', '初定人员导入模板.xlsx'), '已下载模板')}>
              下载模板
            </Button>
            <Button component="label" size="small" variant="outlined">
              导入
              <input
                hidden
                type="file"
                accept=".xlsx"
                data-testid="import-file"
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  if (!file) return;
                  await run(async () => {
                    const r = await api<{ imported: number; skipped: number }>('/api/certificate-issuance/initial/import', { method: 'POST', json: { fileId: await uploadOne(file) } });
                    return r;
                  }, '导入完成');
                  e.target.value = '';
                }}
              />
            </Button>
            <Button
              size="small"
              color="error"
              disabled={!selected.length}
              data-testid="delete-persons"
              onClick={async () => {
                if (!window.confirm(`删除所选 ${selected.length} 名初定人员？`)) return;
                if (await run(() => api('/api/certificate-issuance/initial/persons/delete', { method: 'POST', json: { personIds: selected } }), '已删除')) setSelected([]);
              }}
            >
              删除
            </Button>
            <Button
              size="small"
              variant="contained"
              disabled={!selected.length}
              data-testid="add-batch"
              onClick={async () => {
                if (await run(() => api('/api/certificate-issuance/initial/batches', { method: 'POST', json: { personIds: selected } }), '已添加批次，进入发放中')) {
                  setSelected([]);
                  onDone();
                }
              }}
            >
              添加批次
            </Button>
          </Stack>
        }
      />
      <CardContent sx={{ overflowX: 'auto' }}>
        <Box sx={{ mb: 1 }}>
          <NameFilter paging={paging} testId="initial-name" />
        </Box>
        {selected.length ? (
          <Typography variant="body2" sx={{ mb: 1 }} data-testid="initial-selected">
            已选 {selected.length} 人（可跨页勾选）
          </Typography>
        ) : null}
        <Loading error={error} data={data} empty={paging.name ? '没有符合条件的初定人员' : '没有未发放的初定人员'} />
        {data?.length ? (
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell padding="checkbox">
                  <Checkbox
                    size="small"
                    checked={data.every((p) => selected.includes(p.id))}
                    onChange={(e) => setSelected((s) => (e.target.checked ? [...new Set([...s, ...data.map((p) => p.id)])] : s.filter((id) => !data.some((p) => p.id === id))))}
                    slotProps={{ input: { 'aria-label': '全选本页' } }}
                  />
                </TableCell>
                <TableCell>姓名</TableCell>
                <TableCell>身份证号</TableCell>
                <TableCell>性别</TableCell>
                <TableCell>系列 / 专业</TableCell>
                <TableCell>职称 / 层级</TableCell>
                <TableCell>工作单位</TableCell>
                <TableCell>学历</TableCell>
                <TableCell>操作</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.map((p) => (
                <TableRow key={p.id} data-testid={`initial-${p.id}`}>
                  <TableCell padding="checkbox">
                    <Checkbox size="small" checked={selected.includes(p.id)} onChange={() => setSelected((s) => (s.includes(p.id) ? s.filter((x) => x !== p.id) : [...s, p.id]))} slotProps={{ input: { 'aria-label': `选择${p.personName}` } }} />
                  </TableCell>
                  <TableCell>
                    {p.personName}
                    {p.cancelReason ? <Typography variant="caption" color="warning.main" sx={{ display: 'block' }}>曾取消发证：{p.cancelReason}</Typography> : null}
                  </TableCell>
                  <TableCell>{p.idNumber}</TableCell>
                  <TableCell>{p.gender}</TableCell>
                  <TableCell>{`${p.series} / ${p.specialty}`}</TableCell>
                  <TableCell>{`${p.titleName} / ${p.level}`}</TableCell>
                  <TableCell>{p.employer}</TableCell>
                  <TableCell>{p.education}</TableCell>
                  <TableCell>
                    <Button size="small" onClick={() => setEditing(p)} data-testid={`edit-person-${p.id}`}>
                      修改
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : null}
        {page?.total ? <ListPager paging={paging} total={page.total} testId="initial-pagination" /> : null}
      </CardContent>
      <InitialPersonDialog open={adding} onClose={() => setAdding(false)} onSaved={() => void refetch()} />
      {editing ? <InitialPersonDialog key={editing.id} open editing={editing} onClose={() => setEditing(null)} onSaved={() => void refetch()} /> : null}
    </Card>
  );
}

/** 录入 a new 初定 person, or 修改 one still 未发放 (its ID number is shown masked: left empty it stays as it is). */
function InitialPersonDialog({ open, onClose, onSaved, editing }: { open: boolean; onClose: () => void; onSaved: () => void; editing?: InitialPerson }) {
  const { data: options } = useQuery({ queryKey: ['issuance-initial-options'], queryFn: () => api<{ series: string[]; levels: string[]; education: string[] }>('/api/certificate-issuance/initial/options') });
  const empty = { personName: '', idNumber: '', gender: '', series: '工程技术', specialty: '', titleName: '', level: '初级', employer: '', education: '' };
  const [v, setV] = useState(
    editing
      ? { personName: editing.personName, idNumber: '', gender: editing.gender ?? '', series: editing.series, specialty: editing.specialty, titleName: editing.titleName, level: editing.level, employer: editing.employer ?? '', education: editing.education ?? '' }
      : empty,
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const field = (name: keyof typeof empty, label: string, options?: string[], placeholder?: string) => (
    <TextField
      key={name}
      label={label}
      size="small"
      select={!!options}
      value={v[name]}
      onChange={(e) => setV({ ...v, [name]: e.target.value })}
      error={!!errors[name]}
      helperText={errors[name] ?? placeholder}
      slotProps={{ htmlInput: { 'data-testid': `person-${name}` } }}
    >
      {options?.map((o) => (
        <MenuItem key={o} value={o}>
          {o || '（按身份证号）'}
        </MenuItem>
      ))}
    </TextField>
  );
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{editing ? `修改初定人员：${editing.personName}` : '录入初定人员'}</DialogTitle>
      <DialogContent>
        <Stack spacing={1.5} sx={{ mt: 1 }}>
          {field('personName', '姓名')}
          {field('idNumber', '身份证号', undefined, editing ? `留空则不变（${editing.idNumber}）` : undefined)}
          {field('gender', '性别', ['', '男', '女'])}
          {field('series', '系列', options?.series ?? [v.series])}
          {field('specialty', '专业')}
          {field('titleName', '职称名称')}
          {field('level', '层级', options?.levels ?? [v.level])}
          {field('employer', '工作单位')}
          {field('education', '学历', ['', ...(options?.education ?? [])])}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>取消</Button>
        <Button
          variant="contained"
          data-testid="person-save"
          onClick={async () => {
            try {
              setErrors({});
              const json = { ...v, gender: v.gender || null, employer: v.employer || null, education: v.education || null };
              if (editing) await api(`/api/certificate-issuance/initial/persons/${editing.id}`, { method: 'PUT', json });
              else await api('/api/certificate-issuance/initial/persons', { method: 'POST', json });
              setV(empty);
              onSaved();
              onClose();
            } catch (err) {
              const fields = fieldErrors(err);
              setErrors(Object.keys(fields).length ? fields : { personName: (err as Error).message });
            }
          }}
        >
          保存
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** 待发放 / 待发证 / 发放中 and 已发放: batches on the left (by 文号 or 批次号), persons or certificates on the right. */
function Batches({ kind, tab }: { kind: Kind; tab: 'pending' | 'issued' }) {
  const { data, error, refetch } = useQuery({ queryKey: ['issuance-batches', kind, tab], queryFn: () => api<Batch[]>(`/api/certificate-issuance/${kind}/batches?tab=${tab}`) });
  const [chosen, setChosen] = useState<number | null>(null);
  const current = data?.find((b) => b.id === chosen) ?? data?.[0] ?? null;
  return (
    <>
      <Loading error={error} data={data} empty={tab === 'pending' ? '没有待发证的批次' : '没有已发放的批次'} />
      {current ? (
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
          <Card sx={{ minWidth: 260, maxWidth: { md: 300 } }}>
            <List dense data-testid="batch-list">
              {(data ?? []).map((b) => (
                <ListItemButton key={b.id} selected={b.id === current.id} onClick={() => setChosen(b.id)} data-testid={`batch-${b.id}`}>
                  <ListItemText
                    primary={kind === 'initial' ? b.batchNo : (b.documentNo ?? b.batchNo)}
                    secondary={`${kind === 'initial' ? (b.documentNo ?? '未设置文号') : b.batchNo} · ${b.stateLabel} · ${tab === 'issued' ? b.issuedCount : b.pendingCount} 人`}
                  />
                </ListItemButton>
              ))}
            </List>
          </Card>
          <Box sx={{ flex: 1, minWidth: 0, width: '100%' }}>{tab === 'pending' ? <BatchPersons batchId={current.id} refetchList={refetch} /> : <IssuedCertificates batchId={current.id} />}</Box>
        </Stack>
      ) : null}
    </>
  );
}

function BatchPersons({ batchId, refetchList }: { batchId: number; refetchList: () => unknown }) {
  const paging = usePaging();
  const { data, error, refetch } = useQuery({
    queryKey: ['issuance-batch', batchId, paging.params.toString()],
    queryFn: () => api<Detail>(`/api/certificate-issuance/batches/${batchId}?${paging.params.toString()}`),
    placeholderData: keepPreviousData,
  });
  const reload = async () => {
    await refetch();
    await refetchList();
  };
  const run = useRun(reload);
  const [selected, setSelected] = useState<number[]>([]);
  const [cancelling, setCancelling] = useState(false);
  const [generating, setGenerating] = useState(false);
  useEffect(() => setSelected([]), [batchId]);
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!data) return <LinearProgress />;
  const { batch } = data;
  return (
    <Card data-testid="batch-detail">
      <CardHeader
        title={`${batch.kindLabel} · ${batch.batchNo}`}
        subheader={`${batch.documentNo ? `文号 ${batch.documentNo} · ` : ''}${batch.committeeName ? `${batch.committeeName} · ` : ''}${batch.stateLabel} · 待发证 ${batch.pendingCount} 人`}
        action={
          batch.state === 'pending' ? (
            <Stack direction="row" spacing={1}>
              <Button size="small" color="warning" disabled={!selected.length} data-testid="cancel-issue" onClick={() => setCancelling(true)}>
                取消发证
              </Button>
              <Button size="small" variant="contained" disabled={!batch.pendingCount} data-testid="generate" onClick={() => setGenerating(true)}>
                生成证书
              </Button>
            </Stack>
          ) : null
        }
      />
      <CardContent sx={{ overflowX: 'auto' }}>
        {batch.state === 'generating' || (data.progress && data.progress.state === 'running') ? <GenerationProgress generationRef={batch.generationRef} onDone={reload} /> : null}
        <PersonTable persons={data.persons} selected={selected} setSelected={batch.state === 'pending' ? setSelected : null} />
        <ListPager paging={paging} total={data.personTotal} testId="batch-pagination" />
      </CardContent>
      <ReasonDialog
        open={cancelling}
        title={`取消发证（${selected.length} 人）`}
        label="取消原因（退回评委会或回到未发放）"
        confirm="取消发证"
        onClose={() => setCancelling(false)}
        onSubmit={async (reason) => {
          const ok = await run(() => api(`/api/certificate-issuance/batches/${batchId}/cancel`, { method: 'POST', json: { itemIds: selected, reason } }), '已取消发证');
          if (ok) {
            setSelected([]);
            setCancelling(false);
          }
          return ok;
        }}
      />
      {generating ? <GenerateDialog detail={data} onClose={() => setGenerating(false)} reload={reload} /> : null}
    </Card>
  );
}

function PersonTable({ persons, selected, setSelected }: { persons: Detail['persons']; selected: number[]; setSelected: ((ids: number[]) => void) | null }) {
  return (
    <Table size="small">
      <TableHead>
        <TableRow>
          {setSelected ? <TableCell padding="checkbox" /> : null}
          <TableCell>姓名</TableCell>
          <TableCell>身份证号</TableCell>
          <TableCell>工作单位</TableCell>
          <TableCell>系列 / 专业 / 职称</TableCell>
          <TableCell>批准时间</TableCell>
          <TableCell>职称文件文号</TableCell>
          <TableCell>状态</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {persons.map((p) => (
          <TableRow key={p.id} data-testid={`person-${p.id}`}>
            {setSelected ? (
              <TableCell padding="checkbox">
                {p.state === 'pending' ? (
                  <Checkbox size="small" checked={selected.includes(p.id)} onChange={() => setSelected(selected.includes(p.id) ? selected.filter((x) => x !== p.id) : [...selected, p.id])} slotProps={{ input: { 'aria-label': `选择${p.personName}` } }} />
                ) : null}
              </TableCell>
            ) : null}
            <TableCell>{p.personName}</TableCell>
            <TableCell>{p.idNumber}</TableCell>
            <TableCell>{p.employer}</TableCell>
            <TableCell>{[p.series, p.specialty, p.titleName].filter(Boolean).join(' / ')}</TableCell>
            <TableCell>{p.approvalDate ?? '未设置'}</TableCell>
            <TableCell>{p.documentNo ?? '未设置'}</TableCell>
            <TableCell>
              {p.stateLabel}
              {p.cancelReason ? <Typography variant="caption" sx={{ display: 'block' }}>{p.cancelReason}</Typography> : null}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** 生成证书: 查看名单 → 批准时间和文号 → 导出汇总表 → 上传盖章汇总表 → 发证, then the progress. */
function GenerateDialog({ detail, onClose, reload }: { detail: Detail; onClose: () => void; reload: () => Promise<unknown> }) {
  const { batch } = detail;
  // the page's waiting persons are listed; the counts are the whole batch's
  const waiting = detail.persons.filter((p) => p.state === 'pending');
  const missing = detail.missingIssuingData;
  const [settingData, setSettingData] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [started, setStarted] = useState<string | null>(null);
  const run = useRun(reload);
  const step = started ? 4 : batch.stampedFile ? 3 : missing.length ? 1 : 2;
  const base = `/api/certificate-issuance/batches/${batch.id}`;
  const close = () => {
    onClose();
    if (started) void reload();
  };
  return (
    <Dialog open onClose={close} fullWidth maxWidth="lg">
      <DialogTitle>生成证书 · {batch.batchNo}</DialogTitle>
      <DialogContent>
        <Stepper activeStep={step} alternativeLabel sx={{ mb: 2 }}>
          {['查看待发证人员', '设置批准时间和文号', '导出汇总表线下盖章', '上传盖章汇总表', '发证'].map((l) => (
            <Step key={l}>
              <StepLabel>{l}</StepLabel>
            </Step>
          ))}
        </Stepper>
        <Alert severity={missing.length ? 'warning' : 'info'} sx={{ mb: 1 }}>
          {missing.length ? `${missing.length} 人尚未设置批准时间和职称文件文号。` : `待发证 ${batch.pendingCount} 人，批准时间和文号已设置。`} 导出汇总表，线下盖章后上传盖章汇总表（PDF），然后发证。
        </Alert>
        <Box sx={{ maxHeight: 260, overflow: 'auto', mb: 2 }}>
          <PersonTable persons={waiting} selected={[]} setSelected={null} />
        </Box>
        <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', alignItems: 'center' }} useFlexGap>
          <Button size="small" variant="outlined" data-testid="set-data" onClick={() => setSettingData(true)} disabled={!!started}>
            设置批准时间和文号
          </Button>
          <Button size="small" data-testid="export-xlsx" onClick={() => run(() => downloadFrom(`${base}/summary.xlsx`, `发证汇总表-${batch.batchNo}.xlsx`), '已导出汇总表（Excel）')}>
            导出汇总表（Excel）
          </Button>
          <Button size="small" data-testid="export-pdf" onClick={() => run(() => downloadFrom(`${base}/summary.pdf`, `发证汇总表-${batch.batchNo}.pdf`), '已导出汇总表（PDF）')}>
            导出汇总表（PDF）
          </Button>
          <UploadButton label={batch.stampedFile ? '重新上传盖章汇总表' : '上传盖章汇总表（PDF）'} testId="stamped-upload" onUploaded={(fileId) => run(() => api(`${base}/stamped-file`, { method: 'PUT', json: { fileId } }), '盖章汇总表已上传')} />
          {batch.stampedFile ? <FileLink file={batch.stampedFile} testId="stamped-file" /> : null}
        </Stack>
        {message ? (
          <Alert severity="error" sx={{ mt: 2 }} data-testid="issue-error">
            {message}
          </Alert>
        ) : null}
        {/* the lists reload when the dialog closes: the batch leaves 待发放 then, not under the clerk's eyes */}
        {started ? <GenerationProgress generationRef={started} onDone={() => undefined} /> : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} data-testid="generate-close">
          {started ? '关闭' : '取消'}
        </Button>
        <Button
          variant="contained"
          data-testid="issue"
          disabled={!!started}
          onClick={async () => {
            try {
              setMessage(null);
              const r = await api<{ generationRef: string }>(`${base}/issue`, { method: 'POST' });
              setStarted(r.generationRef);
            } catch (err) {
              setMessage((err as Error).message);
            }
          }}
        >
          发证
        </Button>
      </DialogActions>
      <IssuingDataDialog
        open={settingData}
        title={`设置批准时间和职称文件文号（${missing.length ? `未设置的 ${missing.length} 人` : `全部 ${batch.pendingCount} 人`}）`}
        onClose={() => setSettingData(false)}
        onSubmit={async (body) => {
          await api(`${base}/issuing-data`, { method: 'PUT', json: { ...body, itemIds: missing.length ? missing : null } });
          setSettingData(false);
          await reload();
        }}
      />
    </Dialog>
  );
}

/** The core's progress of the background generation, polled until done. */
function GenerationProgress({ generationRef, onDone }: { generationRef: string | null; onDone: () => unknown }) {
  const { data } = useQuery({
    queryKey: ['generation', generationRef],
    enabled: !!generationRef,
    queryFn: () => api<{ total: number; issued: number; state: 'running' | 'done'; lastError: string | null }>(`/api/certificate-generations/${encodeURIComponent(generationRef!)}`),
    refetchInterval: (q) => (q.state.data?.state === 'done' ? false : 1000),
  });
  const done = data?.state === 'done';
  useEffect(() => {
    if (done) void onDone();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [done]);
  if (!data) return <LinearProgress sx={{ my: 2 }} />;
  const pct = data.total ? Math.round((data.issued / data.total) * 100) : 100;
  return (
    <Box sx={{ my: 2 }} data-testid="generation-progress">
      <Typography variant="body2" sx={{ mb: 0.5 }}>
        {done ? `证书已全部生成：${data.issued} / ${data.total}` : `正在生成证书：${data.issued} / ${data.total}`}
      </Typography>
      <LinearProgress variant="determinate" value={pct} />
      {data.lastError && !done ? <Typography variant="caption" color="warning.main">上次生成失败，将自动重试：{data.lastError}</Typography> : null}
    </Box>
  );
}

/** 已发放: the batch's certificates; their pages (详情, PDF, 评审表) are the certificate module's. */
function IssuedCertificates({ batchId }: { batchId: number }) {
  const paging = usePaging();
  const { data: page, error } = usePagedArray<Certificate>(['issuance-certificates', batchId], `/api/certificate-issuance/batches/${batchId}/certificates`, paging);
  const data = page?.rows;
  return (
    <Card>
      <CardContent sx={{ overflowX: 'auto' }}>
        <Box sx={{ mb: 1 }}>
          <NameFilter paging={paging} testId="certificate-name" />
        </Box>
        <Loading error={error} data={data} empty={paging.name ? '没有符合条件的证书' : '本批次没有已发放的证书'} />
        {data?.length ? (
          <Table size="small" data-testid="certificates">
            <TableHead>
              <TableRow>
                <TableCell>证书编号</TableCell>
                <TableCell>姓名</TableCell>
                <TableCell>身份证号</TableCell>
                <TableCell>系列 / 专业</TableCell>
                <TableCell>职称 / 层级</TableCell>
                <TableCell>批准时间</TableCell>
                <TableCell>职称文件文号</TableCell>
                <TableCell>状态</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.map((c) => (
                <TableRow key={c.id}>
                  <TableCell>
                    <Link to={`/certificates/${c.id}`}>{c.certificateNo}</Link>
                  </TableCell>
                  <TableCell>{c.personName}</TableCell>
                  <TableCell>{c.idNumber}</TableCell>
                  <TableCell>{`${c.series} / ${c.specialty}`}</TableCell>
                  <TableCell>{`${c.titleName} / ${c.level}`}</TableCell>
                  <TableCell>{c.approvalDate}</TableCell>
                  <TableCell>{c.documentNo}</TableCell>
                  <TableCell>{c.status === 'revoked' ? '已撤销' : '有效'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : null}
        {page?.total ? <ListPager paging={paging} total={page.total} unit="张" testId="certificate-pagination" /> : null}
      </CardContent>
    </Card>
  );
}
