import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';

export interface InitialPassword {
  username: string;
  displayName?: string;
  password: string;
}

/** Shows a generated initial password once; the person changes it at first login. */
export function InitialPasswordDialog({ value, onClose }: { value: InitialPassword | null; onClose: () => void }) {
  return (
    <Dialog open={value !== null} onClose={onClose} maxWidth="xs" fullWidth>
      <DialogTitle>初始密码</DialogTitle>
      <DialogContent>
        <Typography gutterBottom>
          账号 <b>{value?.username}</b>
          {value?.displayName ? `（${value.displayName}）` : ''} 的初始密码：
        </Typography>
        <Typography variant="h5" sx={{ fontFamily: 'monospace', my: 2, letterSpacing: 2 }} data-testid="initial-password">
          {value?.password}
        </Typography>
        <Alert severity="warning">初始密码只显示这一次，请通过安全的方式告知本人。首次登录后须修改密码。</Alert>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => void navigator.clipboard?.writeText(value?.password ?? '')}>复制</Button>
        <Button variant="contained" onClick={onClose}>
          我已记下
        </Button>
      </DialogActions>
    </Dialog>
  );
}
