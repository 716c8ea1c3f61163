import { useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Container,
  LinearProgress,
  Link,
  Pagination,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { Link as RouterLink, useParams } from 'react-router-dom';
import { formatDateTime } from '../../lib/format.ts';
import { ActivityNotice } from './ActivityNotice.tsx';
import { PublicPublicityCard } from '../result-publicity/index.ts';
import type { ActivityNoticeRecord, FileRef } from './types.ts';

const PAGE = 20;

/** The public API without a login token (the home page is read by anybody). */
async function publicGet<T>(path: string): Promise<{ data: T; total: number }> {
  const res = await fetch(path);
  const body = (await res.json()) as T & { message?: string };
  if (!res.ok) throw new Error(body.message ?? '加载失败');
  const total = Number(res.headers.get('Content-Range')?.split('/')[1] ?? 0);
  return { data: body, total };
}

async function publicDownload(activityId: number, file: FileRef) {
  const res = await fetch(`/api/public/activities/${activityId}/files/${file.id}`);
  if (!res.ok) throw new Error('下载失败');
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function PublicFrame({ children }: { children: ReactNode }) {
  return (
    <Box sx={{ minHeight: '100vh', bgcolor: 'grey.100', py: 4 }}>
      <Container maxWidth="lg">
        <Stack direction="row" sx={{ mb: 2, alignItems: 'center', justifyContent: 'space-between' }}>
          <Typography variant="h5">职称评审信息系统 · 评审活动通知</Typography>
          <Link component={RouterLink} to="/login">
            登录
          </Link>
        </Stack>
        {children}
      </Container>
    </Box>
  );
}

/** 系统首页的评审活动通知 (no login): published activities marked 对外公开. */
export function PublicActivityList() {
  const [page, setPage] = useState(1);
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const range = JSON.stringify([(page - 1) * PAGE, page * PAGE - 1]);
  const filter = JSON.stringify(search ? { q: search } : {});
  const { data, error, isPending } = useQuery({
    queryKey: ['public-activities', page, search],
    queryFn: () => publicGet<ActivityNoticeRecord[]>(`/api/public/activities?range=${encodeURIComponent(range)}&filter=${encodeURIComponent(filter)}`),
  });
  return (
    <PublicFrame>
      <Card>
        <CardContent>
          <Stack direction="row" spacing={1} sx={{ mb: 2 }}>
            <TextField size="small" label="评审活动或评委会名称" value={q} onChange={(e) => setQ(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (setPage(1), setSearch(q.trim()))} />
            <Button variant="contained" onClick={() => (setPage(1), setSearch(q.trim()))}>
              查询
            </Button>
          </Stack>
          {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
          {isPending ? <LinearProgress /> : null}
          {data ? (
            data.data.length ? (
              <Table data-testid="public-activities">
                <TableHead>
                  <TableRow>
                    <TableCell>评审活动</TableCell>
                    <TableCell>评委会</TableCell>
                    <TableCell>开设级别</TableCell>
                    <TableCell>申报开始</TableCell>
                    <TableCell>初次提交截止</TableCell>
                    <TableCell>修改提交截止</TableCell>
                    <TableCell>评委会接收截止</TableCell>
                    <TableCell>阶段</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {data.data.map((a) => (
                    <TableRow key={a.id} hover>
                      <TableCell>
                        <Link component={RouterLink} to={`/public/activities/${a.id}`}>
                          {a.name}
                        </Link>
                      </TableCell>
                      <TableCell>{a.committeeName}</TableCell>
                      <TableCell>{a.levelLabels.join('、')}</TableCell>
                      <TableCell>{formatDateTime(a.startsAt)}</TableCell>
                      <TableCell>{formatDateTime(a.firstDeadline)}</TableCell>
                      <TableCell>{formatDateTime(a.revisionDeadline)}</TableCell>
                      <TableCell>{formatDateTime(a.receiptDeadline)}</TableCell>
                      <TableCell>{a.phaseLabel ? <Chip size="small" label={a.phaseLabel} color={a.phase === 'open' ? 'success' : 'default'} /> : '—'}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            ) : (
              <Typography color="text.secondary">暂无对外公开的评审活动</Typography>
            )
          ) : null}
          {data && data.total > PAGE ? <Pagination sx={{ mt: 2 }} count={Math.ceil(data.total / PAGE)} page={page} onChange={(_e, p) => setPage(p)} /> : null}
        </CardContent>
      </Card>
      <PublicPublicityCard />
    </PublicFrame>
  );
}

export function PublicActivityShow() {
  const { id } = useParams<{ id: string }>();
  const { data, error } = useQuery({ queryKey: ['public-activity', id], queryFn: () => publicGet<ActivityNoticeRecord>(`/api/public/activities/${id}`) });
  return (
    <PublicFrame>
      <Link component={RouterLink} to="/public/activities" sx={{ display: 'inline-block', mb: 2 }}>
        返回评审活动通知
      </Link>
      {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
      {data ? (
        <Card>
          <CardContent>
            <ActivityNotice notice={data.data} download={(f) => publicDownload(data.data.id, f)} />
          </CardContent>
        </Card>
      ) : error ? null : (
        <LinearProgress />
      )}
    </PublicFrame>
  );
}
