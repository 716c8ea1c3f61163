import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  FormControlLabel,
  LinearProgress,
  MenuItem,
  Radio,
  RadioGroup,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { Title, useNotify } from 'react-admin';
import { api, fieldErrors } from '../../lib/api.ts';
import { DRAW_STATUS, roleLabel, type DrawPageData, type DrawRecord, type ReplayResult, type SnapshotPage } from './types.ts';

const time = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
const errorMessage = (e: unknown) => (e as Error)?.message ?? '操作失败';

/** 新增抽选小组: 从事专业 and 职称层级 show how many in-pool active experts no other group holds. */
function GroupForm({ meetingId, levels, onAdded }: { meetingId: string; levels: DrawPageData['levels']; onAdded: () => void }) {
  const notify = useNotify();
  const [specialty, setSpecialty] = useState('');
  const [level, setLevel] = useState(levels[0]?.value ?? 'senior_full');
  const [count, setCount] = useState('');
  const [matching, setMatching] = useState<number | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => {
    if (!specialty.trim()) {
      setMatching(null);
      return;
    }
    const timer = setTimeout(() => {
      api<{ matching: number }>(`/api/meetings/${meetingId}/draw-groups/matching?specialty=${encodeURIComponent(specialty.trim())}&level=${level}`)
        .then((r) => setMatching(r.matching))
        .catch(() => setMatching(null));
    }, 250);
    return () => clearTimeout(timer);
  }, [meetingId, specialty, level]);
  const add = async () => {
    try {
      await api(`/api/meetings/${meetingId}/draw-groups`, { method: 'POST', json: { specialty, level, count: Number(count) } });
      setErrors({});
      setSpecialty('');
      setCount('');
      notify('已新增抽选小组', { type: 'success' });
      onAdded();
    } catch (e) {
      setErrors(fieldErrors(e));
      notify(errorMessage(e), { type: 'error' });
    }
  };
  return (
    <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-start', mt: 2, flexWrap: 'wrap' }} useFlexGap data-testid="group-form">
      <TextField size="small" fullWidth={false} sx={{ width: 200 }} label="从事专业" value={specialty} onChange={(e) => setSpecialty(e.target.value)} error={!!errors.specialty} helperText={errors.specialty} slotProps={{ htmlInput: { 'data-testid': 'group-specialty' } }} />
      <TextField size="small" fullWidth={false} select label="职称层级" value={level} onChange={(e) => setLevel(e.target.value)} sx={{ width: 140 }} slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'group-level' } as object } }}>
        {levels.map((l) => (
          <MenuItem key={l.value} value={l.value}>
            {l.label}
          </MenuItem>
        ))}
      </TextField>
      <Typography variant="body2" sx={{ pt: 1, minWidth: 190 }} data-testid="group-matching">
        符合条件的在库活跃专家：{matching == null ? '—' : `${matching} 名`}
      </Typography>
      <TextField size="small" fullWidth={false} type="number" label="抽取人数" value={count} onChange={(e) => setCount(e.target.value)} error={!!errors.count} helperText={errors.count} sx={{ width: 120 }} slotProps={{ htmlInput: { min: 1, 'data-testid': 'group-count' } }} />
      <Button variant="contained" onClick={add} disabled={!specialty.trim() || !count} data-testid="group-add">
        新增抽选小组
      </Button>
    </Stack>
  );
}

function DrawList({ draw }: { draw: Pick<DrawRecord, 'list' | 'groups'> }) {
  return (
    <Table size="small" data-testid="draw-list">
      <TableHead>
        <TableRow>
          <TableCell>序号</TableCell>
          <TableCell>抽选小组</TableCell>
          <TableCell>身份</TableCell>
          <TableCell>姓名</TableCell>
          <TableCell>工作单位</TableCell>
          <TableCell>现职称</TableCell>
          <TableCell>主任委员</TableCell>
          <TableCell>外地专家</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {draw.list.map((e, i) => (
          <TableRow key={e.expertId}>
            <TableCell>{i + 1}</TableCell>
            <TableCell>{draw.groups.find((g) => g.groupNo === e.groupNo)?.label ?? e.groupNo}</TableCell>
            <TableCell>{roleLabel(e)}</TableCell>
            <TableCell>{e.name}</TableCell>
            <TableCell>{e.employer}</TableCell>
            <TableCell>{e.currentTitle}</TableCell>
            <TableCell>{e.isChair ? '是' : ''}</TableCell>
            <TableCell>{e.outside ? '是' : ''}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

const PAGE = 25;

/** 专家库快照: what the draw read of each expert (the rules' facts) and what became of him, a page at a time. */
function Snapshot({ meetingId, drawId }: { meetingId: string; drawId: number }) {
  const [offset, setOffset] = useState(0);
  const { data } = useQuery({ queryKey: ['draw-pool', meetingId, drawId, offset], queryFn: () => api<SnapshotPage>(`/api/meetings/${meetingId}/draws/${drawId}/pool?offset=${offset}&limit=${PAGE}`) });
  if (!data) return <LinearProgress />;
  const yes = (b: boolean) => (b ? '是' : '');
  return (
    <Box sx={{ mt: 1 }} data-testid="draw-snapshot">
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>姓名</TableCell>
            <TableCell>归入小组</TableCell>
            <TableCell>从事专业</TableCell>
            <TableCell>层级</TableCell>
            <TableCell>主任委员</TableCell>
            <TableCell>上年度主任委员</TableCell>
            <TableCell>连续三年参会</TableCell>
            <TableCell>外地</TableCell>
            <TableCell>工作单位</TableCell>
            <TableCell>抽选结果</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {data.rows.map((r) => (
            <TableRow key={r.expertId}>
              <TableCell>{r.name}</TableCell>
              <TableCell>{r.groupNo == null ? '—' : `第${r.groupNo}组`}</TableCell>
              <TableCell>{r.specialty}</TableCell>
              <TableCell>{r.levelLabel}</TableCell>
              <TableCell>{yes(r.isChair)}</TableCell>
              <TableCell>{yes(r.lastYearChair)}</TableCell>
              <TableCell>{r.threeYears ? '是（不再选中）' : ''}</TableCell>
              <TableCell>{yes(r.outside)}</TableCell>
              <TableCell>{r.employer}</TableCell>
              <TableCell>{r.drawn ?? ''}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mt: 1 }}>
        <Typography variant="body2">
          第 {offset + 1}–{Math.min(offset + PAGE, data.total)} 名，共 {data.total} 名
        </Typography>
        <Button size="small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          上一页
        </Button>
        <Button size="small" disabled={offset + PAGE >= data.total} onClick={() => setOffset(offset + PAGE)}>
          下一页
        </Button>
      </Stack>
    </Box>
  );
}

/** One stored draw: who ran it when, its seed and inputs, its list; replay and (while none is) accept. */
function DrawDetail({ meetingId, drawId, canAccept, onChanged }: { meetingId: string; drawId: number; canAccept: boolean; onChanged: () => void }) {
  const notify = useNotify();
  const { data: draw } = useQuery({ queryKey: ['draw', meetingId, drawId], queryFn: () => api<DrawRecord>(`/api/meetings/${meetingId}/draws/${drawId}`) });
  const [replay, setReplay] = useState<ReplayResult | null>(null);
  const [showPool, setShowPool] = useState(false);
  useEffect(() => setReplay(null), [drawId]);
  if (!draw) return <LinearProgress />;
  const doReplay = async () => {
    try {
      setReplay(await api<ReplayResult>(`/api/meetings/${meetingId}/draws/${drawId}/replay`, { method: 'POST' }));
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
    }
  };
  const accept = async () => {
    try {
      await api(`/api/meetings/${meetingId}/draws/${drawId}/accept`, { method: 'POST' });
      notify('已采用抽选结果：名单中的专家进入确认出席', { type: 'success' });
      onChanged();
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
    }
  };
  return (
    <Card sx={{ mt: 2 }} data-testid="draw-detail">
      <CardContent>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
          <Typography variant="h6">第 {draw.id} 次抽选</Typography>
          <Chip size="small" label={DRAW_STATUS[draw.status]} color={draw.status === 'accepted' ? 'success' : draw.status === 'refused' ? 'error' : 'default'} />
          <Box sx={{ flex: 1 }} />
          <Button onClick={() => setShowPool((v) => !v)} data-testid="draw-show-pool">
            {showPool ? '收起专家库快照' : '查看专家库快照'}
          </Button>
          <Button onClick={doReplay} data-testid="draw-replay">
            重放核对
          </Button>
          {draw.status === 'drawn' && canAccept ? (
            <Button variant="contained" onClick={accept} data-testid="draw-accept">
              采用抽选结果
            </Button>
          ) : null}
        </Stack>
        <Typography variant="body2" sx={{ mt: 1 }}>
          抽选人：{draw.drawnBy}；时间：{time(draw.drawnAt)}；抽选倍数：{draw.multiplier} 倍；本地的范围：{draw.locality}
        </Typography>
        <Typography variant="body2">
          抽选小组：{draw.groups.map((g) => `${g.label}抽取 ${g.count} 名、列出 ${g.listed} 名`).join('；')}
        </Typography>
        {draw.pool ? (
          <Typography variant="body2">
            专家库快照：{draw.pool.size} 名（可作主任委员备选 {draw.pool.chairs} 名，上年度主任委员 {draw.pool.lastYearChairs} 名，连续三年参会不再选中 {draw.pool.barredThreeYears} 名，外地 {draw.pool.outside} 名）
          </Typography>
        ) : null}
        <Typography variant="body2" sx={{ wordBreak: 'break-all' }}>
          随机种子：<code data-testid="draw-seed">{draw.seed}</code>（{draw.algorithm}）
        </Typography>
        {showPool ? <Snapshot meetingId={meetingId} drawId={draw.id} /> : null}
        {draw.refusal ? (
          <Alert severity="error" sx={{ mt: 1 }}>
            {draw.refusal.message}
          </Alert>
        ) : null}
        {replay ? (
          <Alert severity={replay.same ? 'success' : 'error'} sx={{ mt: 1 }} data-testid="replay-result">
            {replay.message}
            {replay.refusal ? `：${replay.refusal}` : ''}
          </Alert>
        ) : null}
        {draw.list.length ? (
          <Typography variant="body2" sx={{ mt: 1 }}>
            正选 {draw.principals} 名，候补 {draw.alternates} 名
          </Typography>
        ) : null}
        {draw.list.length ? <DrawList draw={draw} /> : null}
      </CardContent>
    </Card>
  );
}

/** 专家抽选 (manual §1.2.5.5 (1)–(2)): draw groups, 开始抽选 with a multiplier, the stored draws with replay and acceptance. */
export function DrawPage() {
  const { meetingId = '' } = useParams();
  // another meeting starts from a clean page (multiplier, the draw shown, a refusal)
  return <MeetingDraw key={meetingId} meetingId={meetingId} />;
}

function MeetingDraw({ meetingId }: { meetingId: string }) {
  const notify = useNotify();
  const client = useQueryClient();
  const { data, error, isLoading } = useQuery({ queryKey: ['draw-page', meetingId], queryFn: () => api<DrawPageData>(`/api/meetings/${meetingId}/draw`) });
  const [multiplier, setMultiplier] = useState('2');
  const [selected, setSelected] = useState<number | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const reload = () => client.invalidateQueries({ queryKey: ['draw-page', meetingId] }).then(() => client.invalidateQueries({ queryKey: ['draw', meetingId] }));
  if (isLoading) return <LinearProgress />;
  if (error || !data) return <Alert severity="error">{errorMessage(error)}</Alert>;
  const accepted = data.acceptedDrawId != null;
  // the supervising committee reads; only the organiser's staff change anything
  const locked = accepted || !data.canManage;
  const shown = selected ?? data.acceptedDrawId ?? data.draws[0]?.id ?? null;
  const start = async () => {
    setRefusal(null);
    try {
      const drawn = await api<DrawRecord>(`/api/meetings/${meetingId}/draws`, { method: 'POST', json: { multiplier: Number(multiplier) } });
      notify(`抽选完成：正选 ${drawn.principals} 名，候补 ${drawn.alternates} 名`, { type: 'success' });
      setSelected(drawn.id);
    } catch (e) {
      setRefusal(errorMessage(e));
      setSelected(null);
    }
    await reload();
  };
  const remove = async (groupId: number) => {
    try {
      await api(`/api/meetings/${meetingId}/draw-groups/${groupId}`, { method: 'DELETE' });
      await reload();
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
    }
  };
  return (
    <Box sx={{ mt: 1, maxWidth: '100%' }}>
      <Title title={`专家抽选 — ${data.meeting.name}`} />
      <Card>
        <CardContent>
          <Typography variant="h6">抽选小组</Typography>
          <Typography variant="body2" color="text.secondary">
            同一名专家只能是一个小组的备选专家：符合多个小组条件的专家归入先建的小组。
          </Typography>
          <Table size="small" sx={{ mt: 1 }} data-testid="draw-groups">
            <TableHead>
              <TableRow>
                <TableCell>组号</TableCell>
                <TableCell>从事专业</TableCell>
                <TableCell>职称层级</TableCell>
                <TableCell>符合条件的在库活跃专家</TableCell>
                <TableCell>其中主任委员</TableCell>
                <TableCell>其中外地</TableCell>
                <TableCell>连续三年参会（不再选中）</TableCell>
                <TableCell>抽取人数</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {data.groups.length === 0 ? (
                <TableRow>
                  <TableCell colSpan={9}>尚未新增抽选小组</TableCell>
                </TableRow>
              ) : null}
              {data.groups.map((g) => (
                <TableRow key={g.id}>
                  <TableCell>第{g.groupNo}组</TableCell>
                  <TableCell>{g.specialty}</TableCell>
                  <TableCell>{g.levelLabel}</TableCell>
                  <TableCell>{g.matching}</TableCell>
                  <TableCell>{g.chairs}</TableCell>
                  <TableCell>{g.outside}</TableCell>
                  <TableCell>{g.barred}</TableCell>
                  <TableCell>{g.count}</TableCell>
                  <TableCell>{locked ? null : <Button size="small" color="error" onClick={() => remove(g.id)}>删除</Button>}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {locked ? null : <GroupForm meetingId={meetingId} levels={data.levels} onAdded={reload} />}
        </CardContent>
      </Card>

      {accepted ? (
        <Alert severity="success" sx={{ mt: 2 }} data-testid="draw-accepted">
          已采用第 {data.acceptedDrawId} 次抽选的结果，请到确认出席页面逐一电话确认。
        </Alert>
      ) : locked ? null : (
        <Card sx={{ mt: 2 }}>
          <CardContent>
            <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
              <Typography variant="h6">开始抽选</Typography>
              <Typography variant="body2">抽选倍数：</Typography>
              <RadioGroup row value={multiplier} onChange={(e) => setMultiplier(e.target.value)}>
                {data.multipliers.map((m) => (
                  <FormControlLabel key={m} value={String(m)} control={<Radio size="small" />} label={`${m} 倍`} />
                ))}
              </RadioGroup>
              <Button variant="contained" onClick={start} disabled={data.groups.length === 0} data-testid="draw-start">
                开始抽选
              </Button>
            </Stack>
            <Typography variant="body2" color="text.secondary">
              每组列出 抽取人数×倍数（向上取整）名专家，前“抽取人数”名为正选，其余为候补。规则：主任委员至少 1 名（上年度主任委员不计为主任委员备选）；非主任委员专家连续三年参会的本年度不再选中；正选专家中外地专家不少于 20%。不满足时不抽选，并说明差额。
            </Typography>
            {refusal ? (
              <Alert severity="error" sx={{ mt: 1 }} data-testid="draw-refusal">
                {refusal}
              </Alert>
            ) : null}
          </CardContent>
        </Card>
      )}

      {shown != null ? <DrawDetail meetingId={meetingId} drawId={shown} canAccept={!locked} onChanged={reload} /> : null}

      <Card sx={{ mt: 2 }}>
        <CardContent>
          <Typography variant="h6">抽选记录</Typography>
          <Table size="small" data-testid="draw-history">
            <TableHead>
              <TableRow>
                <TableCell>次序</TableCell>
                <TableCell>时间</TableCell>
                <TableCell>抽选人</TableCell>
                <TableCell>倍数</TableCell>
                <TableCell>结果</TableCell>
                <TableCell>正选 / 候补</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {data.draws.map((d) => (
                <TableRow key={d.id} selected={d.id === shown}>
                  <TableCell>第 {d.id} 次</TableCell>
                  <TableCell>{time(d.drawnAt)}</TableCell>
                  <TableCell>{d.drawnBy}</TableCell>
                  <TableCell>{d.multiplier}</TableCell>
                  <TableCell>{d.refusal ? `${DRAW_STATUS[d.status]}：${d.refusal.message}` : DRAW_STATUS[d.status]}</TableCell>
                  <TableCell>{d.refusal ? '—' : `${d.principals} / ${d.alternates}`}</TableCell>
                  <TableCell>
                    <Button size="small" onClick={() => setSelected(d.id)}>
                      查看
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
    </Box>
  );
}
