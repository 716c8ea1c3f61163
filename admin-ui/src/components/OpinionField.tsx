import { useState } from 'react';
import { Box, Button, Chip, Dialog, DialogActions, DialogContent, DialogTitle, IconButton, List, ListItem, ListItemText, MenuItem, Stack, TextField } from '@mui/material';
import DeleteIcon from '@mui/icons-material/Delete';
import { useCreate, useDelete, useGetList, useNotify } from 'react-admin';

/**
 * 审核意见 with 常用意见: pick a preset or a saved opinion to add it, or manage one's own list.
 */
export function OpinionField({ value, onChange, required, error }: { value: string; onChange: (v: string) => void; required: boolean; error?: string }) {
  const { data: saved = [], refetch } = useGetList('saved-opinions', { pagination: { page: 1, perPage: 200 }, sort: { field: 'sortOrder', order: 'ASC' } });
  const [managing, setManaging] = useState(false);
  return (
    <Box>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
        <TextField
          select
          size="small"
          label="常用意见"
          value=""
          sx={{ minWidth: 200 }}
          onChange={(e) => onChange(value ? `${value}\n${e.target.value}` : e.target.value)}
          data-testid="saved-opinions"
        >
          {saved.length ? (
            saved.map((o) => (
              <MenuItem key={o.id} value={o.text}>
                {o.text}
              </MenuItem>
            ))
          ) : (
            <MenuItem disabled value="">
              尚无常用意见
            </MenuItem>
          )}
        </TextField>
        <Button size="small" onClick={() => setManaging(true)}>
          常用意见设置
        </Button>
      </Stack>
      <TextField
        label={required ? '审核意见（必填）' : '审核意见'}
        name="opinion"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        multiline
        minRows={3}
        fullWidth
        error={Boolean(error)}
        helperText={error ?? ''}
        slotProps={{ htmlInput: { maxLength: 2000, 'data-testid': 'opinion' } }}
      />
      <SavedOpinionsDialog open={managing} onClose={() => { setManaging(false); void refetch(); }} current={value} />
    </Box>
  );
}

function SavedOpinionsDialog({ open, onClose, current }: { open: boolean; onClose: () => void; current: string }) {
  const { data: saved = [], refetch } = useGetList('saved-opinions', { pagination: { page: 1, perPage: 200 }, sort: { field: 'sortOrder', order: 'ASC' } }, { enabled: open });
  const [text, setText] = useState('');
  const [create] = useCreate();
  const [remove] = useDelete();
  const notify = useNotify();
  const add = async (value: string) => {
    if (!value.trim()) return;
    await create('saved-opinions', { data: { text: value.trim(), sortOrder: saved.filter((o) => !o.preset).length } }, { onError: (e) => notify((e as Error).message, { type: 'error' }) });
    setText('');
    await refetch();
  };
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>常用意见设置</DialogTitle>
      <DialogContent>
        <List dense>
          {saved.map((o) => (
            <ListItem
              key={o.id}
              secondaryAction={
                // the presets are everyone's: nobody deletes them for the others
                o.preset ? (
                  <Chip size="small" label="系统预置" />
                ) : (
                  <IconButton edge="end" aria-label="删除" onClick={async () => { await remove('saved-opinions', { id: o.id, previousData: o }); await refetch(); }}>
                    <DeleteIcon />
                  </IconButton>
                )
              }
            >
              <ListItemText primary={o.text} />
            </ListItem>
          ))}
        </List>
        <Stack direction="row" spacing={1}>
          <TextField size="small" fullWidth label="新的常用意见" value={text} onChange={(e) => setText(e.target.value)} />
          <Button onClick={() => void add(text)}>添加</Button>
        </Stack>
        {current.trim() ? (
          <Button sx={{ mt: 1 }} size="small" onClick={() => void add(current)}>
            把当前意见存为常用意见
          </Button>
        ) : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>关闭</Button>
      </DialogActions>
    </Dialog>
  );
}
