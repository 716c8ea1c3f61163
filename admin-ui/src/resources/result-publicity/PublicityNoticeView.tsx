import { Box, Chip, Link, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { NOTICE_STATUS_COLORS, type PublicityNotice } from './types.ts';

const zhDate = (day: string | null) => (day ? `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日` : '—');

/** 公示公告 as a readable page: period, contact, the passed candidates, and the generated PDF. */
export function PublicityNoticeView({ notice }: { notice: PublicityNotice }) {
  const listed = notice.candidates.filter((c) => !c.withdrawn).length;
  return (
    <Box data-testid="publicity-notice">
      <Typography variant="h6" sx={{ textAlign: 'center', mb: 1 }}>
        {notice.title}
      </Typography>
      <Stack direction="row" spacing={1} sx={{ mb: 1, flexWrap: 'wrap', alignItems: 'center' }} useFlexGap>
        <Chip size="small" label={notice.statusLabel} color={NOTICE_STATUS_COLORS[notice.status] ?? 'default'} />
        <Typography variant="body2">{notice.activityName}</Typography>
        <Link href={`/api/public/publicity/${notice.id}/pdf`} target="_blank" rel="noopener" data-testid="publicity-pdf">
          公示公告（PDF）
        </Link>
      </Stack>
      <Typography variant="body2" sx={{ mb: 1 }}>
        经{notice.committeeName}评审，下列 {listed} 名同志评审通过，现予以公示。公示期为 {zhDate(notice.periodStart)} 至 {zhDate(notice.periodEnd)}。对公示对象有异议的，可登录系统通过“我要反馈”或按下列方式反映。
      </Typography>
      <Box data-testid="publicity-candidates">
        {/* a phone reads one line per person instead of a table wider than the screen */}
        <Box component="ol" sx={{ display: { xs: 'block', sm: 'none' }, pl: 3, my: 1 }}>
          {notice.candidates.map((c) => (
            <Box component="li" key={c.dossierId} sx={{ mb: 1 }}>
              <Typography component="span" sx={{ fontWeight: 'bold' }}>
                {c.name}
              </Typography>
              {c.withdrawn ? <Chip size="small" color="error" label="已撤销" sx={{ ml: 1 }} /> : null}
              <Typography variant="body2" color="text.secondary">
                {c.employer} · {c.series} · {c.specialty} · {c.level}
              </Typography>
            </Box>
          ))}
        </Box>
        <Table size="small" sx={{ display: { xs: 'none', sm: 'table' } }}>
          <TableHead>
            <TableRow>
              <TableCell>序号</TableCell>
              <TableCell>姓名</TableCell>
              <TableCell>工作单位</TableCell>
              <TableCell>系列</TableCell>
              <TableCell>专业</TableCell>
              <TableCell>级别</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {notice.candidates.map((c, i) => (
              <TableRow key={c.dossierId}>
                <TableCell>{i + 1}</TableCell>
                <TableCell>
                  {c.name}
                  {c.withdrawn ? <Chip size="small" color="error" label="已撤销" sx={{ ml: 1 }} /> : null}
                </TableCell>
                <TableCell>{c.employer}</TableCell>
                <TableCell>{c.series}</TableCell>
                <TableCell>{c.specialty}</TableCell>
                <TableCell>{c.level}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
      <Typography variant="body2" sx={{ mt: 1 }}>
        联系人：{notice.contactPerson ?? '—'}，联系电话：{notice.contactPhone ?? '—'}
      </Typography>
      <Typography variant="body2">联系地址：{notice.contactAddress ?? '—'}</Typography>
    </Box>
  );
}
