import { useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Box, Button, Card, CardContent, CardHeader, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { Loading, Title, useNotify } from 'react-admin';
import { useParams } from 'react-router-dom';
import { api } from '../../lib/api.ts';
import { downloadFrom } from '../../lib/download.ts';
import { PrepFilters, PrepPager, usePreparation } from './usePreparation.tsx';
import { ObjectionChip, PrepNav } from './PrepNav.tsx';
import type { PrepCandidate, PrepImportSummary, PrepKind, Preparation } from './types.ts';

const TEXT: Record<PrepKind, { title: string; name: string; help: string; confirm: string }> = {
  exam: {
    title: '导入笔试成绩',
    name: '笔试成绩',
    help: '下载模板（已预填参评人员的姓名、证件号码、工作单位），填写笔试成绩和是否合格（合格 / 不合格；部分人员参加笔试的，不参加的填“免试”），保存为 .xlsx 后上传检验。检验全部正确后确认导入；重新导入会替换此前导入的成绩。笔试不合格的申报人以“笔试不通过”办结。',
    confirm: '确认导入笔试成绩',
  },
  defense: {
    title: '导入答辩安排',
    name: '答辩安排',
    help: '下载模板（已预填参评人员的姓名、证件号码、工作单位），填写答辩日期、答辩到会时间、答辩地址、答辩签到处、答辩序号和答辩会议室，保存为 .xlsx 后上传检验。确认导入后，申报人及其审核链上的单位收到答辩通知；安排有变更的重新导入，只向变更的人员发送变更通知。',
    confirm: '确认导入并发送答辩通知',
  },
};

function ResultCell({ kind, c }: { kind: PrepKind; c: PrepCandidate }) {
  if (kind === 'exam') {
    if (!c.exam) return <Typography variant="body2" color="text.secondary">未导入</Typography>;
    return (
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Typography variant="body2">{c.exam.score ?? '—'}</Typography>
        <Chip size="small" label={c.exam.resultLabel} color={c.exam.passed === false ? 'error' : c.exam.passed ? 'success' : 'default'} />
      </Stack>
    );
  }
  if (!c.defense) return <Typography variant="body2" color="text.secondary">未安排</Typography>;
  const d = c.defense;
  return (
    <Typography variant="body2">
      {d.date} {d.arrivalTime} 到会 · 第 {d.orderNo} 号 · {d.room}
      <Typography component="span" variant="caption" color="text.secondary" sx={{ display: 'block' }}>
        {d.address}（签到处：{d.signInDesk}）{d.version > 1 ? ` · 已变更 ${d.version - 1} 次` : ''}
      </Typography>
    </Typography>
  );
}

/** 参评人员 with what this step recorded for each; 公示有异议 flagged. */
function CandidatesTable({ kind, prep }: { kind: PrepKind; prep: Preparation }) {
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Table size="small" data-testid="prep-candidates" sx={{ minWidth: 720 }}>
        <TableHead>
          <TableRow>
            <TableCell>序号</TableCell>
            <TableCell>姓名</TableCell>
            <TableCell>证件号码</TableCell>
            <TableCell>工作单位</TableCell>
            <TableCell>状态</TableCell>
            <TableCell>{kind === 'exam' ? '笔试成绩' : '答辩安排'}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {prep.candidates.map((c) => (
            <TableRow key={c.dossierId}>
              <TableCell>{c.orderNo}</TableCell>
              <TableCell>
                {c.name}
                <ObjectionChip candidate={c} />
              </TableCell>
              <TableCell>{c.idNumber}</TableCell>
              <TableCell>{c.employer}</TableCell>
              <TableCell>
                <Chip size="small" label={c.resultLabel ?? c.statusLabel} color={c.resultLabel ? 'error' : 'default'} />
              </TableCell>
              <TableCell>
                <ResultCell kind={kind} c={c} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

function CheckResult({ summary }: { summary: PrepImportSummary }) {
  return (
    <Box data-testid="prep-check">
      <Alert severity={summary.badCount ? 'error' : 'success'} sx={{ mb: 1 }}>
        共 {summary.total} 行：正确 {summary.goodCount} 行，错误 {summary.badCount} 行
        {summary.status === 'imported' ? '，已导入' : ''}
        {summary.failedCount != null ? `，笔试不通过 ${summary.failedCount} 人` : ''}
        {summary.notifiedCount != null ? `，发送答辩通知 ${summary.notifiedCount} 条` : ''}
      </Alert>
      {summary.bad.length ? (
        <Box sx={{ overflowX: 'auto' }}>
          <Table size="small" data-testid="prep-bad-rows">
            <TableHead>
              <TableRow>
                <TableCell>行号</TableCell>
                <TableCell>姓名</TableCell>
                <TableCell>证件号码</TableCell>
                <TableCell>错误（列：原因）</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {summary.bad.map((b) => (
                <TableRow key={b.row}>
                  <TableCell>{b.row}</TableCell>
                  <TableCell>{b.values.name ?? ''}</TableCell>
                  <TableCell>{b.values.idNumber ?? ''}</TableCell>
                  <TableCell>
                    {b.errors.map((e, i) => (
                      <Typography key={i} variant="body2" color="error">
                        {e.column}
                        {b.values[e.field] ? `（${b.values[e.field]}）` : ''}：{e.message}
                      </Typography>
                    ))}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      ) : null}
    </Box>
  );
}

/**
 * 导入笔试成绩 / 导入答辩安排 of a meeting: template, upload and check (each faulty cell named),
 * confirm. The checks, the failures and the notices are the API's; this page shows them.
 */
export function PrepImportPage({ kind }: { kind: PrepKind }) {
  const { meetingId } = useParams();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const picker = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<PrepImportSummary | null>(null);
  const text = TEXT[kind];
  const { data: prep, error, paging } = usePreparation(meetingId);
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!prep) return <Loading />;
  const offered = kind === 'exam' ? prep.options.hasExam : prep.options.hasDefense;
  const done = kind === 'exam' ? prep.examDone : prep.defenseDone;

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
      setSummary(await api<PrepImportSummary>(`/api/meetings/${meetingId}/${kind}/imports`, { method: 'POST', json: { fileId: stored!.id } }));
    });
  const confirm = () =>
    run(async () => {
      if (!summary) return;
      const result = await api<PrepImportSummary>(`/api/meetings/${meetingId}/${kind}/imports/${summary.id}/confirm`, { method: 'POST' });
      setSummary(result);
      setFile(null);
      if (picker.current) picker.current.value = '';
      notify(`${text.name}已导入`, { type: 'success' });
      await queryClient.invalidateQueries({ queryKey: ['meeting-prep', meetingId] });
    });

  return (
    <Box sx={{ my: 2 }} data-testid={`prep-${kind}`}>
      <Title title={text.title} />
      <PrepNav prep={prep} />
      <Card sx={{ mb: 2 }}>
        <CardHeader title={text.title} />
        <CardContent>
          {!offered ? (
            <Alert severity="warning">本评审活动{kind === 'exam' ? '未组织笔试' : '未组织面试答辩'}，不需要{text.title}。</Alert>
          ) : done ? (
            <Alert severity="info">“{text.title}”环节已办结，不能再导入。</Alert>
          ) : (
            <Stack spacing={2}>
              <Alert severity="info">{text.help}</Alert>
              <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
                <Button
                  startIcon={<DownloadIcon />}
                  variant="outlined"
                  onClick={() => downloadFrom(`/api/meetings/${meetingId}/${kind}/template`, `${text.name}导入模板.xlsx`).catch((err: Error) => notify(err.message, { type: 'error' }))}
                >
                  下载模板
                </Button>
                <Button startIcon={<UploadFileIcon />} variant="outlined" component="label">
                  选择文件
                  <input
                    ref={picker}
                    hidden
                    type="file"
                    accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    data-testid="prep-file"
                    onChange={(e) => {
                      setFile(e.target.files?.[0] ?? null);
                      setSummary(null);
                    }}
                  />
                </Button>
                <Typography variant="body2" color="text.secondary">
                  {file ? file.name : '未选择文件'}
                </Typography>
                <Button variant="contained" disabled={!file || busy} onClick={() => void check()}>
                  上传并检验
                </Button>
              </Stack>
              {summary ? <CheckResult summary={summary} /> : null}
              {summary && summary.status === 'checked' ? (
                <Stack direction="row" spacing={1}>
                  {summary.badCount ? (
                    <Button
                      startIcon={<DownloadIcon />}
                      onClick={() =>
                        downloadFrom(`/api/meetings/${meetingId}/${kind}/imports/${summary.id}/errors`, `${text.name}错误数据.xlsx`).catch((err: Error) => notify(err.message, { type: 'error' }))
                      }
                    >
                      下载错误数据
                    </Button>
                  ) : (
                    <Button variant="contained" color="primary" disabled={busy} onClick={() => void confirm()}>
                      {text.confirm}
                    </Button>
                  )}
                </Stack>
              ) : null}
            </Stack>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader title="参评人员" subheader={`共 ${prep.counts.all} 人`} />
        <CardContent>
          <PrepFilters paging={paging} />
          <CandidatesTable kind={kind} prep={prep} />
          <PrepPager paging={paging} total={prep.total} />
        </CardContent>
      </Card>
    </Box>
  );
}

export const ExamImportPage = () => <PrepImportPage kind="exam" />;
export const DefenseImportPage = () => <PrepImportPage kind="defense" />;
