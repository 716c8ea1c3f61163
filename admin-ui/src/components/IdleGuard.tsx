import { useEffect, useState } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import { endSession, refreshSession, session } from '../lib/api.ts';

// why the login page is shown again, read there once
export const SIGNED_OUT_KEY = 'zcps.signedOut';
// what a person does (not `scroll`, which pages also cause themselves)
const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;
// activity is written to storage at most this often (every tab reads it)
const TOUCH_EVERY_MS = 5_000;
/**
 * When to renew the access token while the person is at work (ms since epoch): a minute before
 * its end, or a third of its life for short ones. Read from its payload; the server checks it,
 * this only plans.
 */
function renewAt(token: string): number {
  try {
    const { iat = 0, exp = 0 } = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { iat?: number; exp?: number };
    return exp * 1000 - Math.min(60_000, ((exp - iat) * 1000) / 3);
  } catch {
    return 0;
  }
}

/** Leaves the console: the server ends the session, the page starts again at the login. */
export async function signOut(reason: string): Promise<void> {
  await endSession();
  sessionStorage.setItem(SIGNED_OUT_KEY, reason);
  window.location.assign(`${window.location.pathname}#/login`);
  window.location.reload();
}

/**
 * Ends an unused session: the server's idle time (SESSION_IDLE_MINUTES) counts from the last
 * time a person used the console in any tab; `warnSeconds` before the end a dialog offers to go
 * on. While the person works, the short-lived access token is renewed ahead of its end, which
 * also tells the server the session is in use.
 */
export function IdleGuard() {
  const [left, setLeft] = useState<number | null>(null);

  useEffect(() => {
    let warning = false;
    let lastWrite = 0;
    const onActivity = () => {
      // once the warning shows, only 继续使用 answers it
      if (warning || !session.token()) return;
      const now = Date.now();
      if (now - lastWrite < TOUCH_EVERY_MS) return;
      lastWrite = now;
      session.touch(now);
    };
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, onActivity, { passive: true, capture: true });

    const tick = () => {
      const token = session.token();
      const policy = session.policy();
      if (!token || !policy) {
        warning = false;
        setLeft(null);
        return;
      }
      const now = Date.now();
      const idleFor = now - session.lastActivity();
      const endsIn = policy.idleSeconds * 1000 - idleFor;
      if (endsIn <= 0) {
        void signOut('长时间未操作，已自动退出登录，请重新登录');
        return;
      }
      warning = endsIn <= policy.warnSeconds * 1000;
      setLeft(warning ? Math.ceil(endsIn / 1000) : null);
      if (!warning && idleFor < TOUCH_EVERY_MS * 2 && now >= renewAt(token)) void refreshSession();
    };
    tick();
    const timer = window.setInterval(tick, 1000);
    return () => {
      window.clearInterval(timer);
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, onActivity, { capture: true });
    };
  }, []);

  const goOn = async () => {
    session.touch();
    setLeft(null);
    // tells the server at once: its idle count starts again too
    if (!(await refreshSession())) await signOut('登录已失效，请重新登录');
  };

  return (
    <Dialog open={left !== null} aria-labelledby="idle-title" data-testid="idle-warning">
      <DialogTitle id="idle-title">即将因长时间未操作退出登录</DialogTitle>
      <DialogContent>
        <DialogContentText>
          为保护账号和申报材料安全，系统将在 <b data-testid="idle-seconds-left">{left ?? 0}</b> 秒后自动退出登录。未保存的内容请先保存。
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => void signOut('已退出登录')}>退出</Button>
        <Button variant="contained" autoFocus onClick={() => void goOn()}>
          继续使用
        </Button>
      </DialogActions>
    </Dialog>
  );
}
