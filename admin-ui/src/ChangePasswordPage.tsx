import { useState } from 'react';
import { Alert, Box, Button, Card, CardContent, CardHeader, Stack, TextField } from '@mui/material';
import { Title, useNotify } from 'react-admin';
import { useNavigate } from 'react-router-dom';
import { api, fieldErrors, session } from './lib/api.ts';
import type { ApiResponse } from './api-types.ts';

/** 修改密码; shown in place of every page while an initial password has not been replaced. */
export function ChangePasswordPage({ forced = false, onChanged }: { forced?: boolean; onChanged?: () => void }) {
  const notify = useNotify();
  const navigate = useNavigate();
  const [oldPassword, setOld] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const mustChange = forced || Boolean(session.user()?.mustChangePassword);

  const submit = async () => {
    if (newPassword !== repeat) {
      setErrors({ repeat: '两次输入的新密码不一致' });
      return;
    }
    try {
      const { user, ...issued } = await api<ApiResponse<'/api/auth/password', 'post'>>('/api/auth/password', { method: 'POST', json: { oldPassword, newPassword } });
      session.save(issued, user);
      notify('密码已修改', { type: 'success' });
      onChanged?.();
      navigate('/');
    } catch (err) {
      setErrors(fieldErrors(err));
      setMessage((err as Error).message);
    }
  };

  return (
    <Box sx={{ mt: 2, maxWidth: 480 }}>
      <Title title="修改密码" />
      <Card>
        <CardHeader title="修改密码" subheader={mustChange ? '您的密码是他人为您设置的初始密码，请先修改后再使用系统' : undefined} />
        <CardContent>
          <Stack spacing={2} component="form" onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="change-password">
            {message ? <Alert severity="error">{message}</Alert> : null}
            <TextField type="password" label="原密码" value={oldPassword} onChange={(e) => setOld(e.target.value)} error={Boolean(errors.oldPassword)} helperText={errors.oldPassword} autoComplete="current-password" required />
            <TextField
              type="password"
              label="新密码"
              value={newPassword}
              onChange={(e) => setNew(e.target.value)}
              error={Boolean(errors.newPassword)}
              helperText={errors.newPassword ?? '至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类，不含账号或身份证号，不能是常见密码或上一次使用的密码'}
              autoComplete="new-password"
              required
            />
            <TextField type="password" label="确认新密码" value={repeat} onChange={(e) => setRepeat(e.target.value)} error={Boolean(errors.repeat)} helperText={errors.repeat} autoComplete="new-password" required />
            <Button type="submit" variant="contained">
              确认修改
            </Button>
          </Stack>
        </CardContent>
      </Card>
    </Box>
  );
}
