import { useQuery } from '@tanstack/react-query';
import { useNotify } from 'react-admin';
import { api } from '../../lib/api.ts';
import type { MeetingDetail } from './types.ts';

/** The meeting as the API shows it to the caller, refreshed after every change. */
export function useMeeting(id: string | undefined) {
  const query = useQuery({ queryKey: ['meeting', id], queryFn: () => api<MeetingDetail>(`/api/meetings/${id}`), enabled: Boolean(id) });
  return query;
}

/** Runs a change, shows its error in Chinese, and reloads the meeting. */
export function useMeetingAction(refetch: () => unknown) {
  const notify = useNotify();
  return async (work: () => Promise<unknown>, done?: string) => {
    try {
      await work();
      if (done) notify(done, { type: 'success' });
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      await refetch();
    }
  };
}

/** Completes the open task of a step (its check decides whether it may). */
export async function completeStep(meeting: MeetingDetail, elementId: string) {
  const step = meeting.steps.find((s) => s.elementId === elementId);
  const taskId = step?.taskIds[0];
  if (!taskId) throw new Error('本环节当前没有待办任务');
  await api(`/api/tasks/${taskId}/complete`, { method: 'POST', json: { action: 'complete' } });
}
