import { Alert, Box, Button, Card, CardActionArea, CardContent, CardHeader, Chip, Grid, Link, Stack, Table, TableBody, TableCell, TableContainer, TableHead, TableRow, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title, useGetList } from 'react-admin';
import { Navigate, Link as RouterLink, useNavigate } from 'react-router-dom';
import type { ApiResponse } from './api-types.ts';
import { api, session } from './lib/api.ts';
import { formatDate, formatDateTime } from './lib/format.ts';
import { MyDossiersCard } from './resources/dossiers/MyDossiers.tsx';
import { isMeetingExpert } from './resources/ballots/index.ts';

type Home = ApiResponse<'/api/home'>;
type AdminHome = ApiResponse<'/api/home/admin'>;
type Supervision = NonNullable<Home['supervision']>;

const STAGE_COLOR: Record<string, 'default' | 'info' | 'primary' | 'warning' | 'success' | 'secondary'> = {
  upcoming: 'default',
  applying: 'info',
  reviewing: 'info',
  meeting: 'primary',
  publicity: 'warning',
  confirming: 'warning',
  issuing: 'secondary',
  done: 'success',
};
const FILING_COLOR: Record<string, 'default' | 'success' | 'error'> = { unfiled: 'default', filed: 'success', expired: 'error' };

function Tile({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <Card variant="outlined" sx={{ height: '100%' }}>
      <CardContent>
        <Typography color="text.secondary" variant="body2">
          {label}
        </Typography>
        <Typography variant="h4" data-testid={testId}>
          {value}
        </Typography>
      </CardContent>
    </Card>
  );
}

/** 单位信息 */
function UnitCard({ unit }: { unit: NonNullable<Home['unit']> }) {
  const rows: Array<[string, string | number | null]> = [
    ['单位名称', unit.name],
    ['单位类型', unit.unitTypeName + (unit.adminLevelName ? `（${unit.adminLevelName}）` : '')],
    ['所在地区', unit.region],
    ['统一社会信用代码', unit.creditCode],
    ['上级单位', unit.parentName],
    ['工作人员', unit.staffCount],
  ];
  return (
    <Card sx={{ height: '100%' }} data-testid="home-unit">
      <CardHeader title="单位信息" slotProps={{ title: { variant: 'h6' } }} sx={{ pb: 0 }} />
      <CardContent>
        {rows.map(([k, v]) => (
          <Stack key={k} direction="row" spacing={1} sx={{ py: 0.25 }}>
            <Typography variant="body2" color="text.secondary" sx={{ minWidth: 112, flexShrink: 0 }}>
              {k}
            </Typography>
            <Typography variant="body2" sx={{ wordBreak: 'break-all' }}>
              {v ?? '—'}
            </Typography>
          </Stack>
        ))}
      </CardContent>
    </Card>
  );
}

/** 消息管理: the unread count and the newest messages. */
function MessagesCard({ messages }: { messages: Home['messages'] }) {
  return (
    <Card sx={{ height: '100%' }} data-testid="home-messages">
      <CardHeader
        title={
          <span>
            消息 <Chip size="small" color={messages.unread ? 'error' : 'default'} label={`未读 ${messages.unread}`} data-testid="home-unread" />
          </span>
        }
        slotProps={{ title: { variant: 'h6' } }}
        action={
          <Button component={RouterLink} to="/messages" size="small">
            全部消息
          </Button>
        }
        sx={{ pb: 0 }}
      />
      <CardContent>
        {messages.latest.length ? (
          messages.latest.map((m) => (
            <Stack key={m.id} direction="row" spacing={1} sx={{ py: 0.25, alignItems: 'baseline' }}>
              <Typography variant="body2" sx={{ fontWeight: m.read ? 400 : 600, flex: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                {m.title}
              </Typography>
              <Typography variant="caption" color="text.secondary" sx={{ flexShrink: 0 }}>
                {formatDate(m.createdAt)}
              </Typography>
            </Stack>
          ))
        ) : (
          <Typography variant="body2" color="text.secondary">
            暂无消息
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}

/** 待办事项: one row per kind of task, a click opens the inbox filtered to it (the inbox's own counts). */
function TodoCard() {
  const navigate = useNavigate();
  const { data: counts = [] } = useGetList('tasks/counts', { pagination: { page: 1, perPage: 100 } });
  const total = counts.reduce((n, c) => n + Number(c.count), 0);
  return (
    <Card sx={{ height: '100%' }}>
      <CardActionArea onClick={() => navigate('/tasks')}>
        <CardHeader
          title={
            <span>
              待办事项 <b data-testid="todo-total">{total}</b>
            </span>
          }
          slotProps={{ title: { variant: 'h6' } }}
          sx={{ pb: 0 }}
        />
      </CardActionArea>
      <CardContent>
        {counts.length ? (
          <Table size="small" data-testid="home-todo">
            <TableBody>
              {counts.map((c) => (
                <TableRow key={c.id} hover>
                  <TableCell sx={{ px: 0.5 }}>
                    <Link
                      component={RouterLink}
                      to={`/tasks?filter=${encodeURIComponent(JSON.stringify({ processKey: c.processKey, elementId: c.elementId }))}`}
                      underline="hover"
                      data-testid="home-todo-link"
                    >
                      {c.processName}：{c.name}
                    </Link>
                  </TableCell>
                  <TableCell align="right" sx={{ px: 0.5 }} data-testid="home-todo-count">
                    {c.count}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : (
          <Typography variant="body2" color="text.secondary">
            暂无待办
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}

/** 评审工作监督: the committees in view, their filing standing and each activity's stage. */
function SupervisionCard({ supervision }: { supervision: Supervision }) {
  type Row = { c: Supervision['committees'][number]; a: Supervision['committees'][number]['activities'][number] | null; first: boolean; span: number };
  const rows = supervision.committees.flatMap((c): Row[] => (c.activities.length ? c.activities.map((a, i) => ({ c, a, first: i === 0, span: c.activities.length })) : [{ c, a: null, first: true, span: 1 }]));
  return (
    <Card data-testid="home-supervision">
      <CardHeader
        title="评审工作监督"
        subheader={supervision.scope === 'subtree' ? '本单位及下级单位组建的评委会' : '本单位组建的评委会'}
        slotProps={{ title: { variant: 'h6' } }}
        sx={{ pb: 0 }}
      />
      <CardContent>
        <Grid container spacing={1.5} sx={{ mb: 2 }}>
          <Grid size={{ xs: 6, md: 3 }}>
            <Tile label="评审委员会总数" value={supervision.tiles.committees} testId="tile-committees" />
          </Grid>
          <Grid size={{ xs: 6, md: 3 }}>
            <Tile label="已备案总数" value={supervision.tiles.filed} testId="tile-filed" />
          </Grid>
          <Grid size={{ xs: 6, md: 3 }}>
            <Tile label="未备案总数" value={supervision.tiles.unfiled} testId="tile-unfiled" />
          </Grid>
          <Grid size={{ xs: 6, md: 3 }}>
            <Tile label="正在开展评审活动总数" value={supervision.tiles.runningActivities} testId="tile-running" />
          </Grid>
        </Grid>
        {rows.length ? (
          <TableContainer sx={{ maxHeight: 420 }}>
            <Table size="small" stickyHeader>
              <TableHead>
                <TableRow>
                  <TableCell>评审委员会名称</TableCell>
                  <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>所在地区</TableCell>
                  <TableCell>备案状态</TableCell>
                  <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>备案有效期</TableCell>
                  <TableCell>评审活动名称</TableCell>
                  <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>申报起止时间</TableCell>
                  <TableCell>当前工作进度</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map(({ c, a, first, span }) => (
                  <TableRow key={`${c.id}:${a?.id ?? 0}`} data-testid="supervision-row">
                    {first ? (
                      <>
                        <TableCell rowSpan={span}>
                          {c.name}
                          {supervision.scope === 'subtree' ? (
                            <Typography variant="caption" color="text.secondary" component="div">
                              {c.organizerName}
                            </Typography>
                          ) : null}
                        </TableCell>
                        <TableCell rowSpan={span} sx={{ display: { xs: 'none', md: 'table-cell' } }}>
                          {c.region ?? '—'}
                        </TableCell>
                        <TableCell rowSpan={span}>
                          <Chip size="small" color={FILING_COLOR[c.filingStatus] ?? 'default'} label={c.filingStatusName} />
                        </TableCell>
                        <TableCell rowSpan={span} sx={{ display: { xs: 'none', md: 'table-cell' }, whiteSpace: 'nowrap' }}>
                          {c.validFrom && c.validTo ? `${c.validFrom} 至 ${c.validTo}` : '—'}
                        </TableCell>
                      </>
                    ) : null}
                    <TableCell>{a ? a.name : <Typography variant="body2" color="text.secondary">暂无评审活动</Typography>}</TableCell>
                    <TableCell sx={{ display: { xs: 'none', md: 'table-cell' }, whiteSpace: 'nowrap' }}>{a ? `${formatDate(a.startsAt)} 至 ${formatDate(a.firstDeadline)}` : ''}</TableCell>
                    <TableCell>{a ? <Chip size="small" color={STAGE_COLOR[a.stage] ?? 'default'} label={a.stageName} data-testid="activity-stage" /> : null}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        ) : (
          <Typography variant="body2" color="text.secondary">
            暂无评委会
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}

/** 运行概况: the administrator's view of the engine. */
function AdminCard() {
  const { data } = useQuery({ queryKey: ['home-admin'], queryFn: () => api<AdminHome>('/api/home/admin') });
  if (!data) return null;
  return (
    <Card data-testid="home-admin">
      <CardHeader title="运行概况" slotProps={{ title: { variant: 'h6' } }} sx={{ pb: 0 }} />
      <CardContent>
        <Grid container spacing={1.5} sx={{ mb: 2 }}>
          <Grid size={{ xs: 4 }}>
            <CardActionArea component={RouterLink} to="/process-instances">
              <Tile label="运行中的流程" value={data.counts.running} testId="admin-running" />
            </CardActionArea>
          </Grid>
          <Grid size={{ xs: 4 }}>
            <CardActionArea component={RouterLink} to="/incidents">
              <Tile label="未处理的流程异常" value={data.counts.incidents} testId="admin-incidents" />
            </CardActionArea>
          </Grid>
          <Grid size={{ xs: 4 }}>
            <Tile label="超期待办" value={data.counts.overdue} testId="admin-overdue" />
          </Grid>
        </Grid>
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, md: 6 }}>
            <Typography variant="subtitle2">运行中的流程（按流程）</Typography>
            {data.runningByProcess.map((r) => (
              <Stack key={r.processKey} direction="row" sx={{ justifyContent: 'space-between' }}>
                <Typography variant="body2">{r.name}</Typography>
                <Typography variant="body2">{r.count}</Typography>
              </Stack>
            ))}
            <Typography variant="subtitle2" sx={{ mt: 1.5 }}>
              最近部署
            </Typography>
            {data.deployments.map((d) => (
              <Typography key={`${d.key}:${d.version}`} variant="body2">
                {d.name} v{d.version} · {formatDateTime(d.deployedAt)}
                {d.deployedBy ? ` · ${d.deployedBy}` : ''}
              </Typography>
            ))}
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <Typography variant="subtitle2">未处理的流程异常</Typography>
            {data.incidents.length ? (
              data.incidents.map((i) => (
                <Typography key={i.id} variant="body2" sx={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                  {formatDateTime(i.createdAt)} · {i.elementId} · {i.message}
                </Typography>
              ))
            ) : (
              <Typography variant="body2" color="text.secondary">
                无
              </Typography>
            )}
            <Typography variant="subtitle2" sx={{ mt: 1.5 }}>
              超期待办
            </Typography>
            {data.overdueTasks.length ? (
              data.overdueTasks.map((t) => (
                <Typography key={t.id} variant="body2">
                  {t.processName ?? ''} · {t.name} · {t.unitName ?? ''} · 应于 {formatDateTime(t.dueAt)}
                </Typography>
              ))
            ) : (
              <Typography variant="body2" color="text.secondary">
                无
              </Typography>
            )}
          </Grid>
        </Grid>
      </CardContent>
    </Card>
  );
}

/** 首页 (manual §1.2.1): 单位信息, 消息, 待办事项, 评审工作监督; the administrator's 运行概况. */
export function Dashboard() {
  const user = session.user();
  const isApplicant = user?.permissions.includes('dossier.apply');
  const isAdmin = Boolean(user?.permissions.some((p) => p === 'process.monitor' || p === 'incident.manage' || p === 'process.manage'));
  const { data: home, error } = useQuery({ queryKey: ['home'], queryFn: () => api<Home>('/api/home'), enabled: !isMeetingExpert(user) });
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
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {(error as Error).message}
        </Alert>
      ) : null}
      <Grid container spacing={2}>
        {home?.unit && !isApplicant ? (
          <Grid size={{ xs: 12, md: 4 }}>
            <UnitCard unit={home.unit} />
          </Grid>
        ) : null}
        {home ? (
          <Grid size={{ xs: 12, md: isApplicant ? 6 : 4 }}>
            <MessagesCard messages={home.messages} />
          </Grid>
        ) : null}
        <Grid size={{ xs: 12, md: isApplicant ? 6 : 4 }}>
          <TodoCard />
        </Grid>
        {isApplicant ? (
          <Grid size={12}>
            <MyDossiersCard />
          </Grid>
        ) : null}
        {home?.supervision && (home.supervision.committees.length || home.supervision.scope === 'subtree') ? (
          <Grid size={12}>
            <SupervisionCard supervision={home.supervision} />
          </Grid>
        ) : null}
        {isAdmin ? (
          <Grid size={12}>
            <AdminCard />
          </Grid>
        ) : null}
      </Grid>
    </Box>
  );
}
