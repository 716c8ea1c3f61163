import { useRef, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Box,
  Button,
  Chip,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  Step,
  StepLabel,
  Stepper,
  Tab,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TablePagination,
  TableRow,
  Tabs,
  Typography,
} from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { useNotify, useRefresh } from 'react-admin';
import { api, authFetch } from '../../lib/api.ts';
import { downloadFrom } from '../../lib/download.ts';
import type { BadRow, GoodRow, ImportSummary } from './types.ts';

const STEPS = ['下载模板并上传', '数据检验', '导入完成'];
const PAGE = 50;

/** A page of the check's good or bad rows, read with the Content-Range total. */
async function rowsPage<T>(importId: string, kind: 'good' | 'bad', page: number): Promise<{ rows: T[]; total: number }> {
  const res = await authFetch(`/api/expert-imports/${importId}/${kind}?range=${encodeURIComponent(JSON.stringify([page * PAGE, page * PAGE + PAGE - 1]))}`);
  const body = (await res.json()) as T[] | { message?: string };
  if (!res.ok) throw new Error((body as { message?: string }).message ?? '读取检验结果失败');
  const total = Number(res.headers.get('Content-Range')?.split('/')[1] ?? 0);
  return { rows: body as T[], total };
}

function RowsTable({ summary, kind }: { summary: ImportSummary; kind: 'good' | 'bad' }) {
  const [page, setPage] = useState(0);
  const { data, isFetching } = useQuery({
    queryKey: ['expert-import-rows', summary.id, kind, page],
    queryFn: () => rowsPage<GoodRow | BadRow>(summary.id, kind, page),
    placeholderData: keepPreviousData,
  });
  const rows = data?.rows ?? [];
  return (
    <Box>
      <Box sx={{ maxHeight: 420, overflow: 'auto' }}>
        <Table size="small" stickyHeader data-testid={`import-${kind}`}>
          <TableHead>
            {kind === 'good' ? (
              <TableRow>
                <TableCell>行号</TableCell>
                <TableCell>姓名</TableCell>
                <TableCell>证件号码</TableCell>
                <TableCell>性别</TableCell>
                <TableCell>年龄</TableCell>
                <TableCell>工作单位</TableCell>
                <TableCell>现从事专业</TableCell>
                <TableCell>现职称</TableCell>
                <TableCell>联系电话1</TableCell>
              </TableRow>
            ) : (
              <TableRow>
                <TableCell>行号</TableCell>
                <TableCell>姓名</TableCell>
                <TableCell>证件号码</TableCell>
                <TableCell>错误（列：原因）</TableCell>
              </TableRow>
            )}
          </TableHead>
          <TableBody>
            {kind === 'good'
              ? (rows as GoodRow[]).map((r) => (
                  <TableRow key={r.row}>
                    <TableCell>{r.row}</TableCell>
                    <TableCell>{r.name}</TableCell>
                    <TableCell>{r.idNumber}</TableCell>
                    <TableCell>{r.sexName}</TableCell>
                    <TableCell>{r.age}</TableCell>
                    <TableCell>{r.employer}</TableCell>
                    <TableCell>{r.specialty}</TableCell>
                    <TableCell>{r.currentTitle}</TableCell>
                    <TableCell>{r.phone1}</TableCell>
                  </TableRow>
                ))
              : (rows as BadRow[]).map((r) => (
                  <TableRow key={r.row}>
                    <TableCell>{r.row}</TableCell>
                    <TableCell>{r.values.name ?? ''}</TableCell>
                    <TableCell>{r.values.idNumber ?? ''}</TableCell>
                    <TableCell>
                      <Stack spacing={0.5}>
                        {r.errors.map((e, i) => (
                          <Typography key={i} variant="body2" color="error">
                            {e.column}
                            {r.values[e.field] ? `（${r.values[e.field]}）` : ''}：{e.message}
                          </Typography>
                        ))}
                      </Stack>
                    </TableCell>
                  </TableRow>
                ))}
          </TableBody>
        </Table>
      </Box>
      <TablePagination
        component="div"
        count={data?.total ?? 0}
        page={page}
        onPageChange={(_e, p) => setPage(p)}
        rowsPerPage={PAGE}
        rowsPerPageOptions={[PAGE]}
        labelDisplayedRows={({ from, to, count }) => `${from}–${to}，共 ${count} 行${isFetching ? '（加载中）' : ''}`}
      />
    </Box>
  );
}

/**
 * 批量新增: download the template, upload the filled file, see each row checked (good rows and
 * bad rows with the reason per cell), import the good rows on confirmation, download the bad
 * ones marked red to fix and import again. The checks are the API's; this only shows them.
 */
export function ImportWizard({ open, onClose, committeeId }: { open: boolean; onClose: () => void; committeeId: number }) {
  const notify = useNotify();
  const refresh = useRefresh();
  const picker = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [tab, setTab] = useState<'good' | 'bad'>('good');
  const step = !summary ? 0 : summary.status === 'imported' ? 2 : 1;

  const reset = () => {
    setFile(null);
    setSummary(null);
    setTab('good');
    if (picker.current) picker.current.value = '';
  };
  const close = () => {
    if (summary?.status === 'imported') refresh();
    reset();
    onClose();
  };
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (err) {
      notify((err as Error).message, { type: 'error', multiLine: true });
    } finally {
      setBusy(false);
    }
  };

  const check = () =>
    run(async () => {
      if (!file) return;
      const body = new FormData();
      body.append('file', file, file.name);
      const [stored] = await api<Array<{ id: string }>>('/api/files', { method: 'POST', body });
      const checked = await api<ImportSummary>(`/api/expert-pools/${committeeId}/imports`, { method: 'POST', json: { fileId: stored!.id } });
      setSummary(checked);
      setTab(checked.goodCount ? 'good' : 'bad');
    });

  const confirm = () =>
    run(async () => {
      if (!summary) return;
      const done = await api<ImportSummary>(`/api/expert-imports/${summary.id}/confirm`, { method: 'POST', json: { importGoodRows: true } });
      setSummary(done);
    });

  return (
    <Dialog open={open} onClose={close} fullWidth maxWidth="lg">
      <DialogTitle>批量新增专家</DialogTitle>
      <DialogContent dividers>
        <Stepper activeStep={step} sx={{ mb: 3 }}>
          {STEPS.map((s) => (
            <Step key={s}>
              <StepLabel>{s}</StepLabel>
            </Step>
          ))}
        </Stepper>
        {step === 0 ? (
          <Stack spacing={2}>
            <Alert severity="info">
              先下载导入模板，在“专家信息”工作表第 3 行起每行填写一名专家（第 2 行为示例，可覆盖），带 * 的列必填，下拉列请从列表选择；保存为 .xlsx 后上传。上传后先检验，确认后才导入。
            </Alert>
            <Box>
              <Button startIcon={<DownloadIcon />} onClick={() => void downloadFrom('/api/expert-imports/template', '专家导入模板.xlsx').catch((e: Error) => notify(e.message, { type: 'error' }))}>
                下载导入模板
              </Button>
            </Box>
            <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
              <Button variant="outlined" startIcon={<UploadFileIcon />} onClick={() => picker.current?.click()}>
                选择文件
              </Button>
              <Typography color={file ? 'text.primary' : 'text.secondary'}>{file ? file.name : '未选择文件'}</Typography>
              <input ref={picker} type="file" hidden accept=".xlsx" data-testid="import-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            </Stack>
          </Stack>
        ) : null}
        {step === 1 && summary ? (
          <Stack spacing={2}>
            <Alert severity={summary.badCount ? 'warning' : 'success'} data-testid="import-summary">
              共 {summary.total} 行：检验正确 {summary.goodCount} 行，错误 {summary.badCount} 行。
              {summary.badCount ? '错误数据不会导入，可下载后按批注修改，再重新上传。' : ''}
              {summary.goodCount ? '点击“导入正确数据”后才会导入。' : ''}
            </Alert>
            <Tabs value={tab} onChange={(_e, v: 'good' | 'bad') => setTab(v)}>
              <Tab value="good" label={<Chip size="small" color="success" variant="outlined" label={`正确数据 ${summary.goodCount}`} />} />
              <Tab value="bad" label={<Chip size="small" color="error" variant="outlined" label={`错误数据 ${summary.badCount}`} />} />
            </Tabs>
            <RowsTable key={tab} summary={summary} kind={tab} />
          </Stack>
        ) : null}
        {step === 2 && summary ? (
          <Stack spacing={2}>
            <Alert severity="success" data-testid="import-done">
              已导入 {summary.importedCount ?? 0} 名专家，列在“新增待提交”中，提交后由备案单位审核。
            </Alert>
            {summary.skipped.length ? (
              <Alert severity="warning">
                以下 {summary.skipped.length} 行在检验后已有相同证件号码的专家进入专家库，未导入：
                {summary.skipped.map((s) => (
                  <div key={s.row}>
                    第 {s.row} 行 {s.name}（{s.idNumber}）：{s.message}
                  </div>
                ))}
              </Alert>
            ) : null}
            {summary.badCount ? <Typography>错误数据 {summary.badCount} 行未导入，可下载修改后重新导入。</Typography> : null}
          </Stack>
        ) : null}
      </DialogContent>
      <DialogActions>
        {busy ? <CircularProgress size={20} sx={{ mr: 1 }} /> : null}
        {summary && summary.badCount ? (
          <Button startIcon={<DownloadIcon />} onClick={() => void downloadFrom(`/api/expert-imports/${summary.id}/errors`, '专家导入错误数据.xlsx').catch((e: Error) => notify(e.message, { type: 'error' }))}>
            下载错误数据
          </Button>
        ) : null}
        {step === 1 ? (
          <Button onClick={reset} disabled={busy}>
            重新上传
          </Button>
        ) : null}
        <Button onClick={close}>{step === 2 ? '关闭' : '取消'}</Button>
        {step === 0 ? (
          <Button variant="contained" disabled={!file || busy} onClick={() => void check()} data-testid="import-check">
            下一步：数据检验
          </Button>
        ) : null}
        {step === 1 ? (
          <Button variant="contained" disabled={!summary?.goodCount || busy} onClick={() => void confirm()} data-testid="import-confirm">
            导入正确数据（{summary?.goodCount ?? 0} 行）
          </Button>
        ) : null}
      </DialogActions>
    </Dialog>
  );
}
