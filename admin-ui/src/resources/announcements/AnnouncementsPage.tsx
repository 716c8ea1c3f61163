import { useState } from 'react';
import { Alert, Box, Button, Card, Checkbox, Chip, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title, useNotify } from 'react-admin';
import type { ApiResponse } from '../../api-types.ts';
import { api, fieldErrors } from '../../lib/api.ts';
import { downloadFile } from '../../lib/download.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ANNOUNCEMENT_TYPES } from './labels.ts';

type Announcement = ApiResponse<'/api/announcements'>[number];
type Attachment = Announcement['attachments'][number];

const STATE_COLORS: Record<Announcement['state'], 'default' | 'success' | 'warning'> = { draft: 'default', published: 'success', revoked: 'warning' };

/** 通知公告管理 (manual §1.2.15.1): the unit's announcements; a plain publish, no approval flow. */
export function AnnouncementsPage() {
  const notify = useNotify();
  const [type, setType] = useState('');
  const [state, setState] = useState('');
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState<number[]>([]);
  const [editing, setEditing] = useState<Announcement | 'new' | null>(null);
  const filter = JSON.stringify({ ...(type ? { type } : {}), ...(state ? { state } : {}), ...(q.trim() ? { q: q.trim() } : {}) });
  const { data, error, refetch } = useQuery({ queryKey: ['announcements', filter], queryFn: () => api<Announcement[]>(`/api/announcements?range=${encodeURIComponent('[0,199]')}&filter=${encodeURIComponent(filter)}`) });
  const run = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      notify(done, { type: 'success' });
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      await refetch();
    }
  };
  const batch = (action: 'publish' | 'revoke' | 'delete', label: string) =>
    run(async () => {
      const r = await api<{ succeeded: number; failed: number; results: Array<{ ok: boolean; message: string | null }> }>('/api/announcements/batch', { method: 'POST', json: { action, ids: chosen } });
      setChosen([]);
      if (r.failed) throw new Error(`${label} ${r.succeeded} 条，${r.failed} 条未能${label}：${r.results.filter((x) => !x.ok).map((x) => x.message).join('；')}`);
    }, `已${label} ${chosen.length} 条`);
  const toggle = (id: number) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="通知公告管理" />
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={1} sx={{ mb: 2, alignItems: { md: 'center' }, '& .MuiButton-root': { whiteSpace: 'nowrap', flexShrink: 0 } }}>
        <Button variant="contained" onClick={() => setEditing('new')} data-testid="new-announcement">
          添加公告
        </Button>
        <TextField select size="small" label="公告类型" value={type} onChange={(e) => setType(e.target.value)} sx={{ minWidth: 140 }}>
          <MenuItem value="">全部</MenuItem>
          {ANNOUNCEMENT_TYPES.map(([k, v]) => (
            <MenuItem key={k} value={k}>
              {v}
            </MenuItem>
          ))}
        </TextField>
        <TextField select size="small" label="状态" value={state} onChange={(e) => setState(e.target.value)} sx={{ minWidth: 120 }}>
          <MenuItem value="">全部</MenuItem>
          <MenuItem value="draft">草稿</MenuItem>
          <MenuItem value="published">已发布</MenuItem>
          <MenuItem value="revoked">已撤回</MenuItem>
        </TextField>
        <TextField size="small" label="标题" value={q} onChange={(e) => setQ(e.target.value)} sx={{ width: { md: 220 } }} />
        <Button disabled={!chosen.length} onClick={() => void batch('publish', '发布')} data-testid="batch-publish">
          批量发布
        </Button>
        <Button disabled={!chosen.length} onClick={() => void batch('revoke', '撤回')}>
          批量撤回
        </Button>
        <Button disabled={!chosen.length} color="error" onClick={() => void batch('delete', '删除')}>
          批量删除
        </Button>
      </Stack>
      {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
      {!data && !error ? <LinearProgress /> : null}
      {data && !data.length ? <Alert severity="info">没有公告</Alert> : null}
      {data?.length ? (
        <Card sx={{ overflowX: 'auto' }}>
          <Table size="small" sx={{ '& th, & td:not(:nth-of-type(2))': { whiteSpace: 'nowrap' } }}>
            <TableHead>
              <TableRow>
                <TableCell padding="checkbox" />
                <TableCell>标题</TableCell>
                <TableCell>类型</TableCell>
                <TableCell>状态</TableCell>
                <TableCell>发布时间</TableCell>
                <TableCell>附件</TableCell>
                <TableCell>操作</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.map((a) => (
                <TableRow key={a.id} data-testid={`announcement-${a.id}`}>
                  <TableCell padding="checkbox">
                    <Checkbox checked={chosen.includes(a.id)} onChange={() => toggle(a.id)} />
                  </TableCell>
                  <TableCell>{a.title}</TableCell>
                  <TableCell>{a.typeLabel}</TableCell>
                  <TableCell>
                    <Chip size="small" color={STATE_COLORS[a.state]} label={a.stateLabel} />
                  </TableCell>
                  <TableCell>{formatDateTime(a.publishedAt)}</TableCell>
                  <TableCell>{a.attachments.length || ''}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    {a.state !== 'published' ? (
                      <>
                        <Button size="small" onClick={() => setEditing(a)}>
                          编辑
                        </Button>
                        <Button size="small" onClick={() => void run(() => api(`/api/announcements/${a.id}/publish`, { method: 'POST' }), '已发布')} data-testid={`publish-${a.id}`}>
                          发布
                        </Button>
                      </>
                    ) : (
                      <Button size="small" color="warning" onClick={() => void run(() => api(`/api/announcements/${a.id}/revoke`, { method: 'POST' }), '已撤回')} data-testid={`revoke-${a.id}`}>
                        撤回
                      </Button>
                    )}
                    {a.state === 'draft' ? (
                      <Button size="small" color="error" onClick={() => void run(() => api(`/api/announcements/${a.id}`, { method: 'DELETE' }), '已删除')}>
                        删除
                      </Button>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      ) : null}
      {editing ? <AnnouncementDialog announcement={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => (setEditing(null), void refetch())} /> : null}
    </Box>
  );
}

function AnnouncementDialog({ announcement, onClose, onSaved }: { announcement: Announcement | null; onClose: () => void; onSaved: () => void }) {
  const notify = useNotify();
  const [type, setType] = useState(announcement?.type ?? 'notice');
  const [title, setTitle] = useState(announcement?.title ?? '');
  const [content, setContent] = useState(announcement?.content ?? '');
  const [files, setFiles] = useState<Attachment[]>(announcement?.attachments ?? []);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const save = async () => {
    const body = { type, title, content, attachmentIds: files.map((f) => f.id) };
    try {
      if (announcement) await api(`/api/announcements/${announcement.id}`, { method: 'PUT', json: { ...body, version: announcement.version } });
      else await api('/api/announcements', { method: 'POST', json: body });
      notify('已保存为草稿', { type: 'success' });
      onSaved();
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure((err as Error).message);
    }
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>{announcement ? '编辑公告' : '添加公告'}</DialogTitle>
      <DialogContent dividers>
        {failure ? <Alert severity="error" sx={{ mb: 1 }}>{failure}</Alert> : null}
        <Stack spacing={2}>
          <TextField select label="公告类型" value={type} onChange={(e) => setType(e.target.value as Announcement['type'])} error={Boolean(errors.type)} helperText={errors.type} slotProps={{ htmlInput: { 'data-testid': 'announcement-type' } }}>
            {ANNOUNCEMENT_TYPES.map(([k, v]) => (
              <MenuItem key={k} value={k}>
                {v}
              </MenuItem>
            ))}
          </TextField>
          <TextField label="标题" value={title} onChange={(e) => setTitle(e.target.value)} error={Boolean(errors.title)} helperText={errors.title} slotProps={{ htmlInput: { 'data-testid': 'announcement-title', maxLength: 200 } }} />
          <TextField label="正文" multiline minRows={6} value={content} onChange={(e) => setContent(e.target.value)} error={Boolean(errors.content)} helperText={errors.content} slotProps={{ htmlInput: { 'data-testid': 'announcement-content' } }} />
          <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
            {files.map((f) => (
              <Chip key={f.id} label={f.name} onClick={() => void downloadFile(f.id, f.name)} onDelete={() => setFiles((l) => l.filter((x) => x.id !== f.id))} />
            ))}
            <Button component="label" variant="outlined" size="small">
              上传附件
              <input
                hidden
                type="file"
                data-testid="announcement-file"
                onChange={async (e) => {
                  const picked = e.target.files?.[0];
                  if (!picked) return;
                  try {
                    const body = new FormData();
                    body.append('file', picked, picked.name);
                    const stored = await api<Attachment[]>('/api/files', { method: 'POST', body });
                    setFiles((l) => [...l, ...stored]);
                  } catch (err) {
                    notify((err as Error).message, { type: 'error' });
                  } finally {
                    e.target.value = '';
                  }
                }}
              />
            </Button>
          </Stack>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>取消</Button>
        <Button variant="contained" onClick={() => void save()} data-testid="save-announcement">
          保存
        </Button>
      </DialogActions>
    </Dialog>
  );
}
