import { Alert, Box, Card, CardActionArea, CardContent, Grid, Typography } from '@mui/material';
import { Title, useGetList } from 'react-admin';
import { Navigate, useNavigate } from 'react-router-dom';
import { session } from './lib/api.ts';
import { MyDossiersCard } from './resources/dossiers/MyDossiers.tsx';
import { isMeetingExpert } from './resources/ballots/index.ts';

/** 首页: who I am, what waits for me. */
export function Dashboard() {
  const user = session.user();
  const navigate = useNavigate();
  const { data: counts = [] } = useGetList('tasks/counts', { pagination: { page: 1, perPage: 100 } });
  const total = counts.reduce((n, c) => n + Number(c.count), 0);
  const isApplicant = user?.permissions.includes('dossier.apply');
  // a meeting credential sees the 专家端 only
  if (isMeetingExpert(user)) return <Navigate to="/expert" replace />;
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="首页" />
      <Typography variant="h5" sx={{ mb: 2 }}>
        {user?.displayName}，您好{user?.unitName ? `（${user.unitName}）` : ''}
      </Typography>
      {user?.unitStatus === 'registering' ? (
        <Alert severity="info" sx={{ mb: 2 }} data-testid="registering-banner">
          本单位正在注册审核中：请在“待办事项”的“用户权限申请”中完善单位信息并提交上级单位审核；审核通过后开放申报、经办功能。
        </Alert>
      ) : null}
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 4 }}>
          <Card>
            <CardActionArea onClick={() => navigate('/tasks')}>
              <CardContent>
                <Typography color="text.secondary">待办事项</Typography>
                <Typography variant="h3" data-testid="todo-total">
                  {total}
                </Typography>
              </CardContent>
            </CardActionArea>
          </Card>
        </Grid>
        {counts.map((c) => (
          <Grid key={c.id} size={{ xs: 12, sm: 6, md: 4 }}>
            <Card>
              <CardActionArea
                onClick={() => navigate(`/tasks?filter=${encodeURIComponent(JSON.stringify({ processKey: c.processKey, elementId: c.elementId }))}`)}
              >
                <CardContent>
                  <Typography color="text.secondary">{c.processName}</Typography>
                  <Typography variant="h6">
                    {c.name}：{c.count}
                  </Typography>
                </CardContent>
              </CardActionArea>
            </Card>
          </Grid>
        ))}
        {isApplicant ? (
          <Grid size={12}>
            <MyDossiersCard />
          </Grid>
        ) : null}
      </Grid>
    </Box>
  );
}
