import { useState } from 'react';
import { Alert, Box, Button, Card, Checkbox, Chip, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, Stack, Tab, Table, TableBody, TableCell, TableHead, TableRow, Tabs, TextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title, useNotify } from 'react-admin';
import type { ApiResponse } from '../../api-types.ts';
import { api, fieldErrors } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';

type Option = ApiResponse<'/api/message-recipients/units'>[number];
type Push = ApiResponse<'/api/message-pushes'>[number];
type PushDetail = ApiResponse<'/api/message-pushes/{id}'>;
type Kind = 'unit' | 'person';

const filterQuery = (q: string) => (q.trim() ? `?filter=${encodeURIComponent(JSON.stringify({ q: q.trim() }))}&range=${encodeURIComponent('[0,199]')}` : `?range=${encodeURIComponent('[0,199]')}`);

/** 消息推送 (manual §1.2.11): choose subordinate units or the unit's own applicants, 编辑信息, 发送; 已发送 with read receipts. */
export function MessagePushPage() {
  const [tab, setTab] = useState<Kind | 'sent'>('unit');
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="消息推送" />
      <Tabs value={tab} onChange={(_, v: Kind | 'sent') => setTab(v)} variant="scrollable" sx={{ mb: 2 }}>
        <Tab value="unit" label="下级单位" data-testid="tab-unit" />
        <Tab value="person" label="本单位人员列表" data-testid="tab-person" />
        <Tab value="sent" label="已发送" data-testid="tab-sent" />
      </Tabs>
      {tab === 'sent' ? <SentList /> : <Recipients key={tab} kind={tab} onSent={() => setTab('sent')} />}
    </Box>
  );
}

function Recipients({ kind, onSent }: { kind: Kind; onSent: () => void }) {
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState<Map<number, string>>(new Map());
  const [editing, setEditing] = useState(false);
  const path = kind === 'unit' ? '/api/message-recipients/units' : '/api/message-recipients/persons';
  const { data, error } = useQuery({ queryKey: ['message-recipients', kind, q], queryFn: () => api<Option[]>(`${path}${filterQuery(q)}`) });
  const toggle = (o: Option) =>
    setChosen((prev) => {
      const next = new Map(prev);
      if (next.has(o.id)) next.delete(o.id);
      else next.set(o.id, o.name);
      return next;
    });
  const allChosen = Boolean(data?.length) && data!.every((o) => chosen.has(o.id));
  const toggleAll = () =>
    setChosen((prev) => {
      const next = new Map(prev);
      for (const o of data ?? []) {
        if (allChosen) next.delete(o.id);
        else next.set(o.id, o.name);
      }
      return next;
    });
  return (
    <Box>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mb: 2, alignItems: { sm: 'center' } }}>
        <TextField size="small" sx={{ width: { sm: 280 } }} label={kind === 'unit' ? '单位名称' : '姓名'} value={q} onChange={(e) => setQ(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'recipient-search' } }} />
        <Typography variant="body2" color="text.secondary" sx={{ whiteSpace: 'nowrap' }}>
          已选 {chosen.size} 个
        </Typography>
        <Button variant="contained" sx={{ whiteSpace: 'nowrap', flexShrink: 0 }} disabled={!chosen.size} onClick={() => setEditing(true)} data-testid="edit-message">
          编辑信息
        </Button>
      </Stack>
      {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
      {!data && !error ? <LinearProgress /> : null}
      {data && !data.length ? <Alert severity="info">{kind === 'unit' ? '没有可发送的下级单位' : '本单位没有申报人'}</Alert> : null}
      {data?.length ? (
        <Card sx={{ overflowX: 'auto' }}>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell padding="checkbox">
                  <Checkbox checked={allChosen} onChange={toggleAll} slotProps={{ input: { 'aria-label': '全选' } }} />
                </TableCell>
                <TableCell>{kind === 'unit' ? '单位名称' : '姓名'}</TableCell>
                <TableCell>{kind === 'unit' ? '上级单位' : '联系电话'}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.map((o) => (
                <TableRow key={o.id} hover onClick={() => toggle(o)} sx={{ cursor: 'pointer' }} data-testid={`recipient-${o.id}`}>
                  <TableCell padding="checkbox">
                    <Checkbox checked={chosen.has(o.id)} />
                  </TableCell>
                  <TableCell>{o.name}</TableCell>
                  <TableCell>{(o.detail ?? '').replace(/^上级：/, '')}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      ) : null}
      {editing ? <ComposeDialog kind={kind} recipients={chosen} onClose={() => setEditing(false)} onSent={onSent} /> : null}
    </Box>
  );
}

function ComposeDialog({ kind, recipients, onClose, onSent }: { kind: Kind; recipients: Map<number, string>; onClose: () => void; onSent: () => void }) {
  const notify = useNotify();
  const [title, setTitle] = useState('');
  const [content, setContent] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setBusy(true);
    try {
      const sent = await api<{ recipientCount: number }>('/api/message-pushes', { method: 'POST', json: { recipientKind: kind, recipientIds: [...recipients.keys()], title, content } });
      notify(`已发送给 ${sent.recipientCount} 个${kind === 'unit' ? '单位' : '人'}`, { type: 'success' });
      onSent();
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const names = [...recipients.values()];
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>编辑信息</DialogTitle>
      <DialogContent dividers>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          发送给：{names.slice(0, 5).join('、')}
          {names.length > 5 ? ` 等 ${names.length} 个` : ''}
        </Typography>
        {failure ? <Alert severity="error" sx={{ mb: 1 }}>{failure}</Alert> : null}
        <TextField fullWidth label="标题" value={title} onChange={(e) => setTitle(e.target.value)} error={Boolean(errors.title)} helperText={errors.title} sx={{ mb: 2 }} slotProps={{ htmlInput: { 'data-testid': 'message-title', maxLength: 100 } }} />
        <TextField fullWidth multiline minRows={4} label="消息内容" value={content} onChange={(e) => setContent(e.target.value)} error={Boolean(errors.content)} helperText={errors.content ?? `${content.length}/2000`} slotProps={{ htmlInput: { 'data-testid': 'message-content', maxLength: 2000 } }} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>取消</Button>
        <Button variant="contained" disabled={busy} onClick={() => void send()} data-testid="send-message">
          发送
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function SentList() {
  const { data, error } = useQuery({ queryKey: ['message-pushes'], queryFn: () => api<Push[]>('/api/message-pushes') });
  const [open, setOpen] = useState<number | null>(null);
  return (
    <Box>
      {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
      {!data && !error ? <LinearProgress /> : null}
      {data && !data.length ? <Alert severity="info">还没有发送过消息</Alert> : null}
      {data?.length ? (
        <Card sx={{ overflowX: 'auto' }}>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>标题</TableCell>
                <TableCell>接收对象</TableCell>
                <TableCell>已读</TableCell>
                <TableCell>发送人</TableCell>
                <TableCell>发送时间</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.map((p) => (
                <TableRow key={p.id} hover sx={{ cursor: 'pointer' }} onClick={() => setOpen(p.id)} data-testid={`push-${p.id}`}>
                  <TableCell>{p.title}</TableCell>
                  <TableCell>{p.recipientKind === 'unit' ? '下级单位' : '本单位人员'}</TableCell>
                  <TableCell data-testid={`push-read-${p.id}`}>
                    已读 {p.readCount} / 共 {p.recipientCount}
                  </TableCell>
                  <TableCell>{p.senderName}</TableCell>
                  <TableCell>{formatDateTime(p.createdAt)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      ) : null}
      {open != null ? <ReceiptsDialog id={open} onClose={() => setOpen(null)} /> : null}
    </Box>
  );
}

function ReceiptsDialog({ id, onClose }: { id: number; onClose: () => void }) {
  const { data, error } = useQuery({ queryKey: ['message-push', id], queryFn: () => api<PushDetail>(`/api/message-pushes/${id}`) });
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>{data?.title ?? '消息详情'}</DialogTitle>
      <DialogContent dividers>
        {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
        {!data && !error ? <LinearProgress /> : null}
        {data ? (
          <>
            <Typography sx={{ whiteSpace: 'pre-wrap', mb: 2 }}>{data.content}</Typography>
            <Typography variant="subtitle2" sx={{ mb: 1 }}>
              已读 {data.readCount} / 共 {data.recipientCount}
            </Typography>
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>接收对象</TableCell>
                  <TableCell>状态</TableCell>
                  <TableCell>阅读人</TableCell>
                  <TableCell>阅读时间</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {data.receipts.map((r) => (
                  <TableRow key={r.messageId} data-testid={`receipt-${r.recipientId}`}>
                    <TableCell>{r.recipientName}</TableCell>
                    <TableCell>{r.read ? <Chip size="small" color="success" label="已读" /> : <Chip size="small" label="未读" />}</TableCell>
                    <TableCell>{r.readBy ?? ''}</TableCell>
                    <TableCell>{formatDateTime(r.readAt)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </>
        ) : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>关闭</Button>
      </DialogActions>
    </Dialog>
  );
}
