import { useQuery } from '@tanstack/react-query';
import { Alert, Box, Card, CardContent, CardHeader, Chip, Container, LinearProgress, Link, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Link as RouterLink, useParams } from 'react-router-dom';
import { PublicityNoticeView } from './PublicityNoticeView.tsx';
import { NOTICE_STATUS_COLORS, type PublicityListItem, type PublicityNotice } from './types.ts';

/** The public API, without a login token (the home page is read by anybody). */
async function publicGet<T>(path: string): Promise<T> {
  const res = await fetch(path);
  const body = (await res.json()) as T & { message?: string };
  if (!res.ok) throw new Error(body.message ?? '加载失败');
  return body;
}

const dateText = (day: string | null) => day ?? '—';

/** 评审结果公示 on the home page (no login): open and past notices. */
export function PublicPublicityCard() {
  const { data, error, isPending } = useQuery({ queryKey: ['public-publicity'], queryFn: () => publicGet<PublicityListItem[]>('/api/public/publicity') });
  return (
    <Card sx={{ mt: 2 }}>
      <CardHeader title="评审结果公示" titleTypographyProps={{ variant: 'h6' }} />
      <CardContent>
        {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
        {isPending ? <LinearProgress /> : null}
        {data ? (
          data.length ? (
            <Box sx={{ overflowX: 'auto' }}>
              <Table size="small" data-testid="public-publicity" sx={{ minWidth: 560 }}>
                <TableHead>
                  <TableRow>
                    <TableCell>公示公告</TableCell>
                    <TableCell>评审活动</TableCell>
                    <TableCell>公示期</TableCell>
                    <TableCell>人数</TableCell>
                    <TableCell>状态</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {data.map((n) => (
                    <TableRow key={n.id} hover>
                      <TableCell>
                        <Link component={RouterLink} to={`/public/publicity/${n.id}`}>
                          {n.title}
                        </Link>
                      </TableCell>
                      <TableCell>{n.activityName}</TableCell>
                      <TableCell>
                        {dateText(n.periodStart)} 至 {dateText(n.periodEnd)}
                      </TableCell>
                      <TableCell>{n.passedCount}</TableCell>
                      <TableCell>
                        <Chip size="small" label={n.statusLabel} color={NOTICE_STATUS_COLORS[n.status] ?? 'default'} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          ) : (
            <Typography color="text.secondary">暂无评审结果公示</Typography>
          )
        ) : null}
      </CardContent>
    </Card>
  );
}

/** One notice, readable without login: the list and the PDF. */
export function PublicPublicityShow() {
  const { id } = useParams<{ id: string }>();
  const { data, error } = useQuery({ queryKey: ['public-publicity', id], queryFn: () => publicGet<PublicityNotice>(`/api/public/publicity/${id}`) });
  return (
    <Box sx={{ minHeight: '100vh', bgcolor: 'grey.100', py: 4 }}>
      <Container maxWidth="lg">
        <Stack direction="row" sx={{ mb: 2, alignItems: 'center', justifyContent: 'space-between' }}>
          <Link component={RouterLink} to="/public/activities">
            返回系统首页
          </Link>
          <Link component={RouterLink} to="/login">
            登录后反馈
          </Link>
        </Stack>
        {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
        {data ? (
          <Card>
            <CardContent>
              <PublicityNoticeView notice={data} />
            </CardContent>
          </Card>
        ) : error ? null : (
          <LinearProgress />
        )}
      </Container>
    </Box>
  );
}
