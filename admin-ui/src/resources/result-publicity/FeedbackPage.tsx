import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Box, Button, Card, CardContent, CardHeader, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Loading, Title } from 'react-admin';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ComplaintDialog } from './ComplaintDialog.tsx';
import { COMPLAINT_STATUS_COLORS, type Complaint, type PublicityListItem, type PublicityNotice } from './types.ts';

/** 我要反馈 against a candidate of an open notice, and 我的反馈 with each conclusion (everyone logged in). */
export function FeedbackPage() {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<PublicityNotice | null>(null);
  const notices = useQuery({ queryKey: ['public-publicity'], queryFn: () => api<PublicityListItem[]>('/api/public/publicity') });
  const mine = useQuery({ queryKey: ['my-feedback'], queryFn: () => api<Complaint[]>('/api/publicity/complaints/mine') });
  if (notices.error) return <Alert severity="error">{(notices.error as Error).message}</Alert>;
  if (!notices.data || !mine.data) return <Loading />;
  const open = notices.data.filter((n) => n.status === 'published');

  return (
    <Box sx={{ my: 2 }} data-testid="feedback-page">
      <Title title="我要反馈" />
      <Card sx={{ mb: 2 }}>
        <CardHeader title="公示中的评审结果" subheader="对公示对象有异议的，选择公示公告后点击“我要反馈”" />
        <CardContent>
          {open.length ? (
            <Stack spacing={1}>
              {open.map((n) => (
                <Stack key={n.id} direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' }, justifyContent: 'space-between' }}>
                  <Typography>
                    {n.title}（{n.periodStart} 至 {n.periodEnd}，{n.passedCount} 人）
                  </Typography>
                  <Button variant="contained" size="small" onClick={() => void api<PublicityNotice>(`/api/public/publicity/${n.id}`).then(setNotice)}>
                    我要反馈
                  </Button>
                </Stack>
              ))}
            </Stack>
          ) : (
            <Typography color="text.secondary">暂无公示中的评审结果</Typography>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader title="我的反馈" />
        <CardContent>
          {mine.data.length ? (
            <Box sx={{ overflowX: 'auto' }}>
              <Table size="small" data-testid="my-feedback" sx={{ minWidth: 560 }}>
                <TableHead>
                  <TableRow>
                    <TableCell>被投诉人</TableCell>
                    <TableCell>状态</TableCell>
                    <TableCell>核实结论</TableCell>
                    <TableCell>投诉原因</TableCell>
                    <TableCell>提交时间</TableCell>
                    <TableCell>公示</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {mine.data.map((c) => (
                    <TableRow key={c.id}>
                      <TableCell>{c.candidateName}</TableCell>
                      <TableCell>
                        <Chip size="small" label={c.statusLabel} color={COMPLAINT_STATUS_COLORS[c.status] ?? 'default'} />
                      </TableCell>
                      <TableCell>{c.conclusion ?? ''}</TableCell>
                      <TableCell>{c.reason}</TableCell>
                      <TableCell>{formatDateTime(c.createdAt)}</TableCell>
                      <TableCell>{c.committeeName}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          ) : (
            <Typography color="text.secondary">暂无反馈</Typography>
          )}
        </CardContent>
      </Card>
      {notice ? (
        <ComplaintDialog
          open
          offline={false}
          url={`/api/publicity/${notice.id}/complaints`}
          candidates={notice.candidates}
          onClose={() => setNotice(null)}
          onFiled={() => {
            setNotice(null);
            void queryClient.invalidateQueries({ queryKey: ['my-feedback'] });
          }}
        />
      ) : null}
    </Box>
  );
}
