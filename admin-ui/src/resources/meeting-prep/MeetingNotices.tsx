import { useQuery } from '@tanstack/react-query';
import { Box, Card, CardContent, CardHeader, Chip, Stack, Typography } from '@mui/material';
import EventIcon from '@mui/icons-material/Event';
import { api } from '../../lib/api.ts';
import type { MeetingNotice } from './types.ts';

function Item({ label, value }: { label: string; value: string }) {
  return (
    <Box sx={{ display: 'flex', gap: 1, py: 0.25 }}>
      <Typography variant="body2" color="text.secondary" sx={{ minWidth: 84, flexShrink: 0 }}>
        {label}
      </Typography>
      <Typography variant="body2" sx={{ wordBreak: 'break-all' }}>
        {value}
      </Typography>
    </Box>
  );
}

/** One dossier's 答辩通知 (every detail of the arrangement) and 笔试结果. */
function NoticeCard({ notice }: { notice: MeetingNotice }) {
  const d = notice.defense;
  return (
    <Card sx={{ mb: 2 }} data-testid="meeting-notice">
      <CardHeader
        avatar={<EventIcon color="primary" />}
        title={notice.meetingName}
        subheader={[notice.defense ? '答辩通知' : null, notice.exam ? '笔试结果' : null].filter(Boolean).join(' · ')}
        action={notice.resultLabel ? <Chip color="error" label={notice.resultLabel} data-testid="meeting-result" /> : null}
      />
      <CardContent sx={{ pt: 0 }}>
        <Stack spacing={2} direction={{ xs: 'column', md: 'row' }}>
          {d ? (
            <Box sx={{ flex: 1 }} data-testid="defense-notice">
              <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
                答辩通知{d.version > 1 ? '（安排已变更）' : ''}
              </Typography>
              <Item label="答辩日期" value={d.date} />
              <Item label="到会时间" value={d.arrivalTime} />
              <Item label="答辩地址" value={d.address} />
              <Item label="签到处" value={d.signInDesk} />
              <Item label="答辩序号" value={`第 ${d.orderNo} 号`} />
              <Item label="答辩会议室" value={d.room} />
            </Box>
          ) : null}
          {notice.exam ? (
            <Box sx={{ flex: 1 }} data-testid="exam-result">
              <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
                笔试结果
              </Typography>
              <Item label="笔试成绩" value={notice.exam.score == null ? '—' : String(notice.exam.score)} />
              <Item label="是否合格" value={notice.exam.resultLabel} />
            </Box>
          ) : null}
        </Stack>
      </CardContent>
    </Card>
  );
}

/** 申报详情: the dossier's 答辩通知 and 笔试结果, for the applicant and the units on its chain. */
export function DossierMeetingNotices({ id }: { id: number }) {
  const { data = [] } = useQuery({ queryKey: ['meeting-notices', id], queryFn: () => api<MeetingNotice[]>(`/api/dossiers/${id}/meeting-notices`) });
  return (
    <>
      {data.map((n) => (
        <NoticeCard key={n.meetingId} notice={n} />
      ))}
    </>
  );
}

/** 我的申报: the 答辩通知 and 笔试结果 of the applicant's dossiers (nothing when there are none). */
export function MyMeetingNoticesCard() {
  const { data = [] } = useQuery({ queryKey: ['meeting-notices', 'mine'], queryFn: () => api<MeetingNotice[]>('/api/dossiers/mine/meeting-notices') });
  return (
    <>
      {data.map((n) => (
        <NoticeCard key={`${n.dossierId}-${n.meetingId}`} notice={n} />
      ))}
    </>
  );
}
