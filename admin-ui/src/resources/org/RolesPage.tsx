import { useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  FormGroup,
  LinearProgress,
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
import type { ApiResponse } from '../../api-types.ts';

type Role = ApiResponse<'/api/roles'>[number];
type Permission = ApiResponse<'/api/permissions'>[number];

function RoleDialog({ role, permissions, onClose }: { role: Role | 'new' | null; permissions: Permission[]; onClose: () => void }) {
  const existing = role && role !== 'new' ? role : null;
  const [name, setName] = useState(existing?.name ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [chosen, setChosen] = useState<Set<string>>(new Set(existing?.permissions ?? []));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const notify = useNotify();
  const queryClient = useQueryClient();
  const groups = useMemo(() => {
    const map = new Map<string, Permission[]>();
    for (const p of permissions) map.set(p.group, [...(map.get(p.group) ?? []), p]);
    return [...map.entries()];
  }, [permissions]);
  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  };
  const save = async () => {
    try {
      const body = { name, description: description || undefined, permissions: [...chosen] };
      if (existing) await api(`/api/roles/${encodeURIComponent(existing.id)}`, { method: 'PUT', json: body });
      else await api('/api/roles', { method: 'POST', json: body });
      notify('角色已保存', { type: 'success' });
      await queryClient.invalidateQueries({ queryKey: ['roles-page'] });
      onClose();
    } catch (err) {
      setErrors(fieldErrors(err));
      setMessage((err as Error).message);
    }
  };
  return (
    <Dialog open={role !== null} onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>{existing ? `修改角色：${existing.name}` : '新增角色'}</DialogTitle>
      <DialogContent>
        {message ? <Alert severity="error" sx={{ mb: 2 }}>{message}</Alert> : null}
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField label="角色名称" value={name} onChange={(e) => setName(e.target.value)} error={Boolean(errors.name)} helperText={errors.name} required />
          <TextField label="说明" value={description} onChange={(e) => setDescription(e.target.value)} />
          <Typography variant="subtitle2" color={errors.permissions ? 'error' : undefined}>
            权限{errors.permissions ? `（${errors.permissions}）` : ''}
          </Typography>
          {groups.map(([group, list]) => (
            <Box key={group}>
              <Typography variant="body2" color="text.secondary">
                {group}
              </Typography>
              <FormGroup row>
                {list.map((p) => (
                  <FormControlLabel key={p.id} control={<Checkbox checked={chosen.has(p.id)} onChange={() => toggle(p.id)} />} label={p.name} />
                ))}
              </FormGroup>
            </Box>
          ))}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>取消</Button>
        <Button variant="contained" onClick={() => void save()} data-testid="save-role">
          保存
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** 角色管理: the unit's roles — built-in ones of its unit type and its own, made of the permission catalogue. */
export function RolesPage() {
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Role | 'new' | null>(null);
  const { data: roles } = useQuery({ queryKey: ['roles-page'], queryFn: () => api<Role[]>('/api/roles') });
  const { data: permissions = [] } = useQuery({ queryKey: ['permissions'], queryFn: () => api<Permission[]>('/api/permissions') });
  if (!roles) return <LinearProgress />;
  const remove = async (role: Role) => {
    try {
      await api(`/api/roles/${encodeURIComponent(role.id)}`, { method: 'DELETE' });
      notify(`角色“${role.name}”已删除`, { type: 'success' });
      await queryClient.invalidateQueries({ queryKey: ['roles-page'] });
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    }
  };
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="角色管理" />
      <Card>
        <CardContent>
          <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center', mb: 2 }}>
            <Typography color="text.secondary">内置角色随单位类型提供，不能修改；自定义角色由本单位超级管理员从权限目录中组合。</Typography>
            <Button variant="contained" onClick={() => setEditing('new')} data-testid="add-role">
              新增角色
            </Button>
          </Stack>
          <Table size="small" data-testid="roles">
            <TableHead>
              <TableRow>
                <TableCell>角色</TableCell>
                <TableCell>权限</TableCell>
                <TableCell>在用人数</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {roles.map((r) => (
                <TableRow key={r.id}>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    {r.name} {r.builtIn ? <Chip size="small" label="内置" /> : null}
                    {r.description ? (
                      <Typography variant="caption" color="text.secondary" sx={{ display: "block" }}>
                        {r.description}
                      </Typography>
                    ) : null}
                  </TableCell>
                  <TableCell>
                    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
                      {r.permissionNames.map((n) => (
                        <Chip key={n} size="small" variant="outlined" label={n} />
                      ))}
                    </Stack>
                  </TableCell>
                  <TableCell>{r.staffCount}</TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                    {r.builtIn ? null : (
                      <>
                        <Button size="small" onClick={() => setEditing(r)}>
                          修改
                        </Button>
                        <Button size="small" color="error" onClick={() => void remove(r)}>
                          删除
                        </Button>
                      </>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
      {editing !== null ? <RoleDialog role={editing} permissions={permissions} onClose={() => setEditing(null)} /> : null}
    </Box>
  );
}
