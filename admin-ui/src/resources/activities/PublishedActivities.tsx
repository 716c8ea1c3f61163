import { useQuery } from '@tanstack/react-query';
import { Alert, Box, Button, Card, CardContent, Chip, LinearProgress } from '@mui/material';
import { Datagrid, FunctionField, List, TextField, TextInput, Title } from 'react-admin';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../lib/api.ts';
import { downloadFrom } from '../../lib/download.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ActivityNotice } from './ActivityNotice.tsx';
import type { ActivityNoticeRecord } from './types.ts';

/** 评审活动公告: every published activity (public or not) for whoever is logged in. */
export function PublishedActivityList() {
  const navigate = useNavigate();
  return (
    <List resource="published-activities" title="评审活动公告" sort={{ field: 'publishedAt', order: 'DESC' }} filters={[<TextInput key="q" source="q" label="评审活动或评委会名称" alwaysOn />, <TextInput key="year" source="year" label="评审年份" />]}>
      <Datagrid bulkActionButtons={false} rowClick={(id) => { navigate(`/published-activities/${id}`); return false; }} data-testid="published-activities">
        <TextField source="name" label="评审活动名称" sortable />
        <TextField source="committeeName" label="评委会" sortable={false} />
        <TextField source="year" label="年份" />
        <FunctionField<ActivityNoticeRecord> label="开设级别" render={(r) => r.levelLabels.join('、')} />
        <FunctionField<ActivityNoticeRecord> label="申报时间" sortBy="startsAt" render={(r) => `${formatDateTime(r.startsAt)} 至 ${formatDateTime(r.firstDeadline)}`} />
        <FunctionField<ActivityNoticeRecord> label="申报阶段" render={(r) => (r.phaseLabel ? <Chip size="small" label={r.phaseLabel} color={r.phase === 'open' ? 'success' : 'default'} /> : '—')} />
      </Datagrid>
    </List>
  );
}

export function PublishedActivityShow() {
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const { data, error } = useQuery({ queryKey: ['published-activity', id], queryFn: () => api<ActivityNoticeRecord>(`/api/published-activities/${id}`) });
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!data) return <LinearProgress />;
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={data.name} />
      <Button onClick={() => navigate('/published-activities')} sx={{ mb: 1 }}>
        返回列表
      </Button>
      <Card>
        <CardContent>
          <ActivityNotice notice={data} download={(f) => downloadFrom(`/api/published-activities/${data.id}/files/${f.id}`, f.name)} />
        </CardContent>
      </Card>
    </Box>
  );
}
