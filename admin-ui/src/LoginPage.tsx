import { useEffect, useState } from 'react';
import { Alert, Box, Button, CardContent, CircularProgress, IconButton, Link, Stack, TextField, Tooltip, Typography } from '@mui/material';
import RefreshIcon from '@mui/icons-material/Refresh';
import { Login, useLogin } from 'react-admin';
import { api, type ApiErrorBody } from './lib/api.ts';
import { SIGNED_OUT_KEY } from './components/IdleGuard.tsx';
import type { ApiResponse } from './api-types.ts';

type Captcha = ApiResponse<'/api/auth/captcha'>;

/** What the API says about a refused login (see POST /api/auth/login). */
interface Refusal {
  attemptsLeft?: number;
  lockedUntil?: string | null;
  captchaRequired?: boolean;
}

/**
 * The login form: the API's answer is shown as it is (tries left, the lock and until when); a
 * captcha appears when the API asks for one and is fetched anew after every attempt, since each
 * challenge answers one attempt only.
 */
function LoginFormWithCaptcha() {
  const login = useLogin();
  // why the console was left (an idle end), said once
  const [signedOut] = useState(() => sessionStorage.getItem(SIGNED_OUT_KEY));
  useEffect(() => sessionStorage.removeItem(SIGNED_OUT_KEY), []);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [answer, setAnswer] = useState('');
  const [captcha, setCaptcha] = useState<Captcha | null>(null);
  const [problem, setProblem] = useState<{ message: string; locked: boolean; captchaField?: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const loadCaptcha = async () => {
    setAnswer('');
    try {
      setCaptcha(await api<Captcha>('/api/auth/captcha'));
    } catch (err) {
      setProblem({ message: (err as Error).message, locked: false });
    }
  };

  const submit = async () => {
    setBusy(true);
    try {
      await login(captcha ? { username, password, captchaId: captcha.id, captcha: answer } : { username, password });
    } catch (err) {
      const body = (err as { body?: ApiErrorBody }).body;
      const refusal = (body?.details && !Array.isArray(body.details) ? body.details : {}) as Refusal;
      const captchaField = Array.isArray(body?.details) ? (body.details as Array<{ field?: string; message?: string }>).find((d) => d.field === 'captcha')?.message : undefined;
      const locked = Boolean(refusal.lockedUntil);
      setProblem({ message: (err as Error).message, locked, captchaField });
      if (!locked && (refusal.captchaRequired || captchaField || captcha)) await loadCaptcha();
      else setCaptcha(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <CardContent>
      <Stack spacing={2} component="form" noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="login-form">
        <TextField name="username" label="账号或身份证号" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoFocus required fullWidth helperText="评审专家：账号单上的登录账号，或“身份证号-会议编号”" />
        <TextField name="password" type="password" label="密码" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required fullWidth />
        {captcha ? (
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            <TextField
              name="captcha"
              label="验证码"
              value={answer}
              onChange={(e) => setAnswer(e.target.value)}
              error={Boolean(problem?.captchaField)}
              helperText={problem?.captchaField ?? '密码已错误多次，请输入右图中的字符'}
              autoComplete="off"
              required
              sx={{ flex: 1 }}
              slotProps={{ htmlInput: { maxLength: 8 } }}
            />
            <Box component="img" src={captcha.image} alt="验证码图片" data-testid="captcha-image" sx={{ width: 120, height: 44, border: 1, borderColor: 'divider', borderRadius: 1 }} />
            <Tooltip title="换一张">
              <IconButton aria-label="换一张验证码" onClick={() => void loadCaptcha()}>
                <RefreshIcon />
              </IconButton>
            </Tooltip>
          </Stack>
        ) : null}
        {signedOut && !problem ? (
          <Alert severity="info" data-testid="signed-out-notice">
            {signedOut}
          </Alert>
        ) : null}
        {problem ? (
          <Alert severity={problem.locked ? 'error' : 'warning'} data-testid="login-problem">
            {problem.message}
          </Alert>
        ) : null}
        <Button type="submit" variant="contained" disabled={busy || !username.trim() || !password} fullWidth>
          {busy ? <CircularProgress size={22} color="inherit" /> : '登录'}
        </Button>
      </Stack>
    </CardContent>
  );
}

/** 登录: the system's name, and a hint for applicants. */
export function LoginPage() {
  return (
    <Login>
      <Box sx={{ textAlign: 'center', px: 2 }}>
        <Typography variant="h6">职称评审信息系统</Typography>
        <Typography variant="body2" color="text.secondary">
          工作人员使用账号登录；申报人可使用身份证号登录
        </Typography>
      </Box>
      <LoginFormWithCaptcha />
      <Stack direction="row" spacing={2} sx={{ justifyContent: 'center', pb: 2 }}>
        <Link href="#/register-applicant">申报人注册</Link>
        <Link href="#/register-unit">单位注册</Link>
        <Link href="#/portal">通知公告</Link>
      </Stack>
    </Login>
  );
}
