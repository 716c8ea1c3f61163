import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Box, Button, Card, CardContent, CardHeader, Chip, Dialog, DialogActions, DialogContent, DialogTitle, Table, TableBody, TableCell, TableHead, TableRow, TextField } from '@mui/material';
import { Loading, Title, useNotify } from 'react-admin';
import { useParams } from 'react-router-dom';
import { api, fieldErrors } from '../../lib/api.ts';
import { ObjectionChip, PrepNav } from './PrepNav.tsx';
import type { PrepCandidate } from './types.ts';
import { PrepFilters, PrepPager, usePreparation } from './usePreparation.tsx';

/**
 * 查看公示有异议人员: the meeting's candidates, those with an upheld complaint at the unit-level 公示
 * flagged. The committee flags and clears them here (with a note) until complaints arrive online.
 */
export function ObjectionsPage() {
  const { meetingId } = useParams();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<PrepCandidate | null>(null);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const { data: prep, error, paging } = usePreparation(meetingId);
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!prep) return <Loading />;

  const save = async (c: PrepCandidate, objection: boolean, text: string | null) => {
    try {
      await api(`/api/meetings/${meetingId}/objections/${c.dossierId}`, { method: 'PUT', json: { objection, note: text } });
      notify(objection ? `已标记${c.name}公示有异议` : `已取消${c.name}的异议标记`, { type: 'success' });
      setEditing(null);
      await queryClient.invalidateQueries({ queryKey: ['meeting-prep', meetingId] });
    } catch (err) {
      setNoteError(fieldErrors(err).note ?? null);
      notify((err as Error).message, { type: 'error' });
    }
  };

  return (
    <Box sx={{ my: 2 }} data-testid="prep-objections">
      <Title title="公示有异议人员" />
      <PrepNav prep={prep} />
      <Card>
        <CardHeader title="公示有异议人员" subheader={`参评人员 ${prep.counts.all} 人，公示有异议 ${prep.counts.objection} 人（单位公示期间投诉经核实的人员）`} />
        <CardContent>
          <PrepFilters paging={paging} withObjection />
          <Box sx={{ overflowX: 'auto' }}>
            <Table size="small" sx={{ minWidth: 720 }}>
              <TableHead>
                <TableRow>
                  <TableCell>序号</TableCell>
                  <TableCell>姓名</TableCell>
                  <TableCell>工作单位</TableCell>
                  <TableCell>状态</TableCell>
                  <TableCell>异议说明</TableCell>
                  <TableCell />
                </TableRow>
              </TableHead>
              <TableBody>
                {prep.candidates.map((c) => (
                  <TableRow key={c.dossierId} data-testid="objection-row">
                    <TableCell>{c.orderNo}</TableCell>
                    <TableCell>
                      {c.name}
                      <ObjectionChip candidate={c} />
                    </TableCell>
                    <TableCell>{c.employer}</TableCell>
                    <TableCell>
                      <Chip size="small" label={c.resultLabel ?? c.statusLabel} />
                    </TableCell>
                    <TableCell>{c.objectionNote ?? ''}</TableCell>
                    <TableCell>
                      {c.objection ? (
                        <Button size="small" onClick={() => void save(c, false, null)}>
                          取消标记
                        </Button>
                      ) : (
                        <Button
                          size="small"
                          color="error"
                          onClick={() => {
                            setNote('');
                            setNoteError(null);
                            setEditing(c);
                          }}
                        >
                          标记有异议
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
          <PrepPager paging={paging} total={prep.total} />
        </CardContent>
      </Card>
      <Dialog open={editing != null} onClose={() => setEditing(null)} fullWidth maxWidth="sm">
        <DialogTitle>标记公示有异议：{editing?.name}</DialogTitle>
        <DialogContent>
          <TextField
            autoFocus
            fullWidth
            multiline
            minRows={3}
            label="异议说明"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            error={noteError != null}
            helperText={noteError ?? '如：单位公示期间收到投诉，经核实……'}
            sx={{ mt: 1 }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setEditing(null)}>取消</Button>
          <Button variant="contained" color="error" onClick={() => editing && void save(editing, true, note.trim() || null)}>
            标记
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
