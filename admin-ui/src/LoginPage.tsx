import { Box, Link, Stack, Typography } from '@mui/material';
import { Login, LoginForm } from 'react-admin';

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
      <LoginForm />
      <Stack direction="row" spacing={2} sx={{ justifyContent: 'center', pb: 2 }}>
        <Link href="#/register-applicant">申报人注册</Link>
        <Link href="#/register-unit">单位注册</Link>
      </Stack>
    </Login>
  );
}
