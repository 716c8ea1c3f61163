import BadgeOutlinedIcon from '@mui/icons-material/BadgeOutlined';

export { MyTalentPage } from './MyTalentPage.tsx';
export { TalentReviewsPage } from './TalentReviewsPage.tsx';
export { TalentStatsPage } from './TalentStatsPage.tsx';
export const icon = BadgeOutlinedIcon;
