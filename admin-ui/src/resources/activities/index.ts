import EventNoteIcon from '@mui/icons-material/EventNote';
import { ActivityList } from './ActivityList.tsx';
import { ActivityEditor } from './ActivityEditor.tsx';
import { PublishedActivityList, PublishedActivityShow } from './PublishedActivities.tsx';
import { PublicActivityList, PublicActivityShow } from './PublicActivities.tsx';

/** 评审活动发布 (organiser), 评审活动公告 (logged in) and the public notices of the home page. */
export const activities = { list: ActivityList, edit: ActivityEditor, create: ActivityEditor, show: ActivityEditor, icon: EventNoteIcon };
export { ActivityList, ActivityEditor, PublishedActivityList, PublishedActivityShow, PublicActivityList, PublicActivityShow };
