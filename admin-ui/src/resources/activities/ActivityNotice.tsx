import { Box, Chip, Divider, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useNotify } from 'react-admin';
import { formatDateTime } from '../../lib/format.ts';
import { choicesOf, type FieldSchema } from '../../lib/schema.ts';
import { useFormSchema } from '../../components/FormFields.tsx';
import type { ActivityNoticeRecord, FileRef } from './types.ts';

/** The label of an option of a field of the activity form (展示标题, 模板类别 …). */
function optionLabel(schema: FieldSchema | undefined, value: unknown): string {
  const choice = schema ? choicesOf(schema).find((c) => c.id === String(value)) : undefined;
  return choice?.name ?? String(value ?? '');
}

function itemsOf(schema: FieldSchema | undefined, name: string): Record<string, FieldSchema> {
  return schema?.properties?.[name]?.items?.properties ?? {};
}

/**
 * 评审活动通知: what an applicant needs from a published activity — the times, the levels and
 * specialties opened, the policy files and what must be shown. The same for the home page, the
 * logged-in list and the organiser.
 */
export function ActivityNotice({ notice, download }: { notice: ActivityNoticeRecord; download: (file: FileRef) => Promise<void> }) {
  const notify = useNotify();
  const { data: schema } = useFormSchema('activity');
  const achievementFields = itemsOf(schema, 'achievements');
  // notice 004 三's order; the levels' review deadlines (optional) only where the activity sets them
  const times = (
    [
      ['申报开始时间', notice.startsAt, true],
      ['个人初次提交截止时间', notice.firstDeadline, true],
      ['单位初次审核截止时间', notice.unitReviewDeadline, false],
      ['主管部门网上审核截止时间', notice.departmentReviewDeadline, false],
      ['个人修改提交截止时间', notice.revisionDeadline, true],
      ['主管部门修改提交截止时间', notice.departmentRevisionDeadline, false],
      ['评委会接收申报截止时间', notice.receiptDeadline, true],
    ] as const
  )
    .filter(([, at, always]) => always || at)
    .map(([label, at]) => [label, at] as const);
  const pages = [notice.healthPage ? '卫生专用页面' : null, notice.schoolPage ? '中小学教师专用页面' : null, notice.vocationalPage ? '中职教师专用页面' : null].filter(Boolean);
  return (
    <Stack spacing={2} data-testid="activity-notice">
      <Box>
        <Typography variant="h5">{notice.name}</Typography>
        <Stack direction="row" spacing={1} useFlexGap sx={{ mt: 1, flexWrap: 'wrap' }}>
          <Chip label={notice.committeeName} />
          <Chip label={`${notice.year} 年度 · ${notice.kindLabel}`} variant="outlined" />
          {notice.phaseLabel ? <Chip color={notice.phase === 'closed' ? 'default' : 'success'} label={notice.phaseLabel} /> : null}
          {notice.documentNumber ? <Chip label={notice.documentNumber} variant="outlined" /> : null}
        </Stack>
      </Box>
      <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'minmax(10em, max-content) 1fr', columnGap: 2, rowGap: 1, m: 0 }}>
        <Typography component="dt" color="text.secondary">申报范围</Typography>
        <Box component="dd" sx={{ m: 0 }}>{notice.scope ?? '—'}</Box>
        <Typography component="dt" color="text.secondary">组建单位</Typography>
        <Box component="dd" sx={{ m: 0 }}>{notice.organiserUnitName}</Box>
        <Typography component="dt" color="text.secondary">评审方式</Typography>
        <Box component="dd" sx={{ m: 0 }}>{notice.reviewMethodLabel}</Box>
        <Typography component="dt" color="text.secondary">笔试 / 面试答辩</Typography>
        <Box component="dd" sx={{ m: 0 }}>{notice.writtenExamLabel} / {notice.defenseLabel}</Box>
        {times.map(([label, value]) => (
          <Box key={label} sx={{ display: 'contents' }}>
            <Typography component="dt" color="text.secondary">{label}</Typography>
            <Box component="dd" sx={{ m: 0 }} data-field={label}>{value ? formatDateTime(value) : '—'}</Box>
          </Box>
        ))}
        <Typography component="dt" color="text.secondary">开设级别</Typography>
        <Box component="dd" sx={{ m: 0 }}>{notice.levelLabels.join('、') || '—'}</Box>
        <Typography component="dt" color="text.secondary">开设专业</Typography>
        <Box component="dd" sx={{ m: 0 }}>{notice.specialties.join('、') || '评委会评审范围内的全部专业'}</Box>
        <Typography component="dt" color="text.secondary">继续教育最低学时</Typography>
        <Box component="dd" sx={{ m: 0 }} data-field="继续教育最低学时">{notice.minContinuingEducationHours ? `${notice.minContinuingEducationHours} 学时` : '不作要求'}</Box>
        {pages.length ? (
          <>
            <Typography component="dt" color="text.secondary">专用页面</Typography>
            <Box component="dd" sx={{ m: 0 }}>{pages.join('、')}</Box>
          </>
        ) : null}
        <Typography component="dt" color="text.secondary">评审政策文件</Typography>
        <Box component="dd" sx={{ m: 0 }}>
          {notice.policyFiles.length ? (
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
              {notice.policyFiles.map((f) => (
                <Chip key={f.id} size="small" label={f.name} onClick={() => void download(f).catch((err: Error) => notify(err.message, { type: 'error' }))} />
              ))}
            </Stack>
          ) : (
            '无'
          )}
        </Box>
      </Box>
      <Divider />
      <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>业绩成果要求</Typography>
      {notice.achievements.length ? (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>序号</TableCell>
              <TableCell>展示标题</TableCell>
              <TableCell>模板类别</TableCell>
              <TableCell>业绩要求</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {notice.achievements.map((a, i) => (
              <TableRow key={i}>
                <TableCell>{String(a.order ?? i + 1)}</TableCell>
                <TableCell>{optionLabel(achievementFields.title, a.title)}</TableCell>
                <TableCell>{((a.templates as unknown[]) ?? []).map((v) => optionLabel(achievementFields.templates, v)).join('、')}</TableCell>
                <TableCell sx={{ whiteSpace: 'pre-wrap' }}>{String(a.requirement ?? '')}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <Typography color="text.secondary">无</Typography>
      )}
      <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>破格条件</Typography>
      {notice.breakthroughConditions.length ? (
        <Box component="ol" sx={{ m: 0, pl: 3 }}>
          {notice.breakthroughConditions.map((c, i) => (
            <li key={i}>
              <Typography>{String(c.name ?? '')}</Typography>
              {c.description ? <Typography variant="body2" color="text.secondary" sx={{ whiteSpace: 'pre-wrap' }}>{String(c.description)}</Typography> : null}
            </li>
          ))}
        </Box>
      ) : (
        <Typography color="text.secondary">无</Typography>
      )}
      <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>申报材料</Typography>
      {notice.materials.length ? (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>材料名称</TableCell>
              <TableCell>是否必须上传</TableCell>
              <TableCell>最多附件数</TableCell>
              <TableCell>说明</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {notice.materials.map((m, i) => (
              <TableRow key={i}>
                <TableCell>{String(m.name ?? '')}</TableCell>
                <TableCell>{m.required ? '是' : '否'}</TableCell>
                <TableCell>{String(m.maxFiles ?? '')}</TableCell>
                <TableCell>{String(m.description ?? '')}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <Typography color="text.secondary">无</Typography>
      )}
      {notice.publishedAt ? (
        <Typography variant="caption" color="text.secondary">
          发布于 {formatDateTime(notice.publishedAt)}
        </Typography>
      ) : null}
    </Stack>
  );
}
