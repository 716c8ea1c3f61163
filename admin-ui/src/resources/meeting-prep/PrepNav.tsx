import { Button, Chip, Stack, Typography } from '@mui/material';
import { useLocation, useNavigate } from 'react-router-dom';
import type { Preparation } from './types.ts';

/** The preparation pages of one meeting, side by side: 笔试成绩, 答辩安排, 公示有异议人员, 评分标准. */
export function PrepNav({ prep }: { prep: Preparation }) {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const base = `/meetings/${prep.meeting.id}`;
  const links = [
    ...(prep.options.hasExam ? [{ to: `${base}/exam`, label: '导入笔试成绩' }] : []),
    ...(prep.options.hasDefense ? [{ to: `${base}/defense`, label: '导入答辩安排' }] : []),
    { to: `${base}/objections`, label: '公示有异议人员' },
    { to: `/activities/${prep.meeting.activityId}/scoring`, label: '评分标准' },
  ];
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center', mb: 2 }} data-testid="prep-nav">
      <Typography variant="subtitle1" sx={{ mr: 1 }}>
        {prep.meeting.name}
      </Typography>
      {links.map((l) => (
        <Button key={l.to} size="small" variant={pathname === l.to ? 'contained' : 'outlined'} onClick={() => navigate(l.to)}>
          {l.label}
        </Button>
      ))}
      <Chip size="small" label={`笔试：${prep.options.hasExam ? '组织' : '不组织'}`} />
      <Chip size="small" label={`答辩：${prep.options.defense === 'all' ? '全体' : prep.options.defense === 'partial' ? '部分' : '不组织'}`} />
      <Chip size="small" label={`专业组：${prep.options.hasPanels ? (prep.options.panelMethod === 'score' ? '专家打分' : '专家投票') : '不设置'}`} />
      <Chip size="small" label={`破格评议：${prep.options.hasBreakthrough ? '是' : '否'}`} />
    </Stack>
  );
}

/** 公示有异议 as every candidate list shows it. */
export function ObjectionChip({ candidate }: { candidate: { objection: boolean; objectionNote: string | null } }) {
  if (!candidate.objection) return null;
  return <Chip size="small" color="error" label="公示有异议" title={candidate.objectionNote ?? ''} data-testid="objection-chip" sx={{ ml: 1 }} />;
}
