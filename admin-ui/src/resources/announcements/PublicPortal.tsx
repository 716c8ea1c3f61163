import { useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Box, Button, Card, CardContent, Chip, Container, LinearProgress, Link, List, ListItemButton, ListItemText, Pagination, Stack, TextField, Typography } from '@mui/material';
import { Link as RouterLink, useNavigate, useParams } from 'react-router-dom';
import type { ApiResponse } from '../../api-types.ts';
import { formatDate } from '../../lib/format.ts';
import { PublicPublicityCard } from '../result-publicity/index.ts';
import { ANNOUNCEMENT_TYPES } from './labels.ts';

type PublicAnnouncement = ApiResponse<'/api/public/announcements'>[number];

const PAGE = 10;

/** The public API without a login token (the home page is read by anybody). */
async function publicGet<T>(path: string): Promise<{ data: T; total: number }> {
  const res = await fetch(path);
  const body = (await res.json()) as T & { message?: string };
  if (!res.ok) throw new Error(body.message ?? '加载失败');
  return { data: body, total: Number(res.headers.get('Content-Range')?.split('/')[1] ?? 0) };
}

async function download(announcementId: number, file: { id: string; name: string }) {
  const res = await fetch(`/api/public/announcements/${announcementId}/files/${file.id}`);
  if (!res.ok) throw new Error('下载失败');
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function PortalFrame({ children }: { children: ReactNode }) {
  return (
    <Box sx={{ minHeight: '100vh', bgcolor: 'grey.100', py: { xs: 2, sm: 4 } }}>
      <Container maxWidth="lg">
        <Stack direction="row" sx={{ mb: 2, alignItems: 'center', justifyContent: 'space-between', gap: 1, flexWrap: 'wrap' }}>
          <Link component={RouterLink} to="/portal" underline="none" color="inherit">
            <Typography variant="h5">职称评审信息系统</Typography>
          </Link>
          <Stack direction="row" spacing={2}>
            <Link component={RouterLink} to="/public/activities">
              评审活动通知
            </Link>
            <Link component={RouterLink} to="/login">
              登录
            </Link>
          </Stack>
        </Stack>
        {children}
      </Container>
    </Box>
  );
}

/** 系统首页 (no login): published 通知公告 with type filters and search, beside the activities and the result publicity. */
export function PublicPortal() {
  const navigate = useNavigate();
  const [type, setType] = useState('');
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const filter = JSON.stringify({ ...(type ? { type } : {}), ...(search ? { q: search } : {}) });
  const range = JSON.stringify([(page - 1) * PAGE, page * PAGE - 1]);
  const { data, error, isPending } = useQuery({
    queryKey: ['public-announcements', filter, page],
    queryFn: () => publicGet<PublicAnnouncement[]>(`/api/public/announcements?range=${encodeURIComponent(range)}&filter=${encodeURIComponent(filter)}`),
  });
  const choose = (key: string) => (setType(key), setPage(1));
  return (
    <PortalFrame>
      <Card>
        <CardContent>
          <Typography variant="h6" sx={{ mb: 1 }}>
            通知公告
          </Typography>
          <Stack direction="row" sx={{ mb: 2, gap: 1, flexWrap: 'wrap' }} data-testid="type-filters">
            <Chip label="全部" color={type === '' ? 'primary' : 'default'} onClick={() => choose('')} />
            {ANNOUNCEMENT_TYPES.map(([k, v]) => (
              <Chip key={k} label={v} color={type === k ? 'primary' : 'default'} onClick={() => choose(k)} />
            ))}
          </Stack>
          <Stack direction="row" spacing={1} sx={{ mb: 1 }}>
            <TextField size="small" label="标题" value={q} onChange={(e) => setQ(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (setPage(1), setSearch(q.trim()))} sx={{ flex: 1, maxWidth: 360 }} slotProps={{ htmlInput: { 'data-testid': 'portal-search' } }} />
            <Button variant="contained" onClick={() => (setPage(1), setSearch(q.trim()))}>
              查询
            </Button>
          </Stack>
          {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
          {isPending ? <LinearProgress /> : null}
          {data && !data.data.length ? <Alert severity="info">暂无公告</Alert> : null}
          {data?.data.length ? (
            <List data-testid="public-announcements">
              {data.data.map((a) => (
                <ListItemButton key={a.id} divider onClick={() => navigate(`/portal/announcements/${a.id}`)}>
                  <ListItemText
                    primary={a.title}
                    secondary={`${a.typeLabel} · ${a.unitName} · ${formatDate(a.publishedAt)}`}
                    slotProps={{ primary: { sx: { overflowWrap: 'anywhere' } } }}
                  />
                </ListItemButton>
              ))}
            </List>
          ) : null}
          {data && data.total > PAGE ? <Pagination sx={{ mt: 1 }} count={Math.ceil(data.total / PAGE)} page={page} onChange={(_, p) => setPage(p)} /> : null}
        </CardContent>
      </Card>
      <Card sx={{ mt: 2 }}>
        <CardContent>
          <Typography variant="h6">评审活动通知</Typography>
          <Link component={RouterLink} to="/public/activities">
            查看已发布的评审活动
          </Link>
        </CardContent>
      </Card>
      <PublicPublicityCard />
    </PortalFrame>
  );
}

/** 通知公告详情 (no login), with its attachments. */
export function PublicAnnouncementShow() {
  const { id } = useParams();
  const { data, error, isPending } = useQuery({ queryKey: ['public-announcement', id], queryFn: () => publicGet<PublicAnnouncement>(`/api/public/announcements/${id}`) });
  const [failure, setFailure] = useState<string | null>(null);
  const a = data?.data;
  return (
    <PortalFrame>
      <Card>
        <CardContent>
          <Link component={RouterLink} to="/portal">
            返回通知公告
          </Link>
          {error ? <Alert severity="error" sx={{ mt: 2 }}>{(error as Error).message}</Alert> : null}
          {isPending ? <LinearProgress sx={{ mt: 2 }} /> : null}
          {a ? (
            <Box sx={{ mt: 2 }} data-testid="announcement-detail">
              <Typography variant="h5" sx={{ overflowWrap: 'anywhere' }}>
                {a.title}
              </Typography>
              <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
                {a.typeLabel} · {a.unitName} · {formatDate(a.publishedAt)}
              </Typography>
              <Typography sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{a.content}</Typography>
              {a.attachments.length ? (
                <Stack sx={{ mt: 2, gap: 1 }}>
                  <Typography variant="subtitle2">附件</Typography>
                  {failure ? <Alert severity="error">{failure}</Alert> : null}
                  {a.attachments.map((f) => (
                    <Link key={f.id} component="button" sx={{ textAlign: 'left', overflowWrap: 'anywhere' }} onClick={() => download(a.id, f).catch((err: Error) => setFailure(err.message))}>
                      {f.name}
                    </Link>
                  ))}
                </Stack>
              ) : null}
            </Box>
          ) : null}
        </CardContent>
      </Card>
    </PortalFrame>
  );
}
